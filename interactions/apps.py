from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"

    def ready(self):
        from interactions import receivers  # noqa: F401 - connects the receivers
        from interactions.collectors import ReadStreamCollector
        from tinybook.metrics import register_state_collector

        register_state_collector(ReadStreamCollector())
