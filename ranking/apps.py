from django.apps import AppConfig


class RankingConfig(AppConfig):
    name = "ranking"

    def ready(self):
        from articles import signals
        from ranking import receivers

        signals.article_withdrawn.connect(receivers.on_article_withdrawn, dispatch_uid="ranking.withdrawn")
