from django.apps import AppConfig


class TinybookConfig(AppConfig):
    name = "tinybook"
    verbose_name = "TinyBook"

    def ready(self):
        from tinybook import dbwatch, metrics

        dbwatch.install()
        metrics._register_for_multiprocess()
