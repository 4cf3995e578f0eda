from django.apps import AppConfig
from django.urls import register_converter


class TinybookConfig(AppConfig):
    name = "tinybook"
    verbose_name = "TinyBook"

    def ready(self):
        from tinybook import (  # noqa: F401 - metrics registers the Celery signals and collector
            checks,
            dbwatch,
            metrics,
        )
        from tinybook.converters import LooseIdConverter
        from tinybook.handlers import drop_idle_request_receivers

        register_converter(LooseIdConverter, "looseid")
        dbwatch.install()
        drop_idle_request_receivers()
