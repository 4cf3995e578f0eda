from django.apps import AppConfig


class RankingConfig(AppConfig):
    name = "ranking"

    def ready(self):
        from ranking import receivers  # noqa: F401 - connects the receivers
