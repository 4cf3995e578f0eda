"""What interactions does when an article comes and goes (wired in ``InteractionsConfig.ready``)."""

from django.dispatch import receiver

from articles.signals import article_published, article_withdrawn
from interactions import services


@receiver(article_withdrawn, dispatch_uid="interactions.like-ranking-withdrawn")
def drop_from_like_ranking(sender, *, article_id, **kwargs):
    services.like_ranking_drop(biz_id=article_id)


@receiver(article_published, dispatch_uid="interactions.like-ranking-published")
def restore_in_like_ranking(sender, *, article_id, **kwargs):
    # A withdrawn article left the ranking; back with its likes, not from zero at its next like.
    services.like_ranking_restore(biz_id=article_id)
