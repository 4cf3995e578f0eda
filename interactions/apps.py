from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"

    def ready(self):
        from articles.signals import article_withdrawn
        from interactions import metrics

        metrics._register_for_multiprocess()

        article_withdrawn.connect(_drop_withdrawn, dispatch_uid="interactions-like-ranking-withdrawn")


def _drop_withdrawn(sender, *, article_id, **kwargs):
    from interactions import services

    services.like_ranking_drop(biz_id=article_id)
