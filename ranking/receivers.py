"""What ranking does when an article leaves the readers (wired in ``RankingConfig.ready``)."""

import logging

from django.db import transaction
from django.dispatch import receiver

from articles.signals import article_withdrawn
from ranking import services
from tinybook import kv

logger = logging.getLogger(__name__)


def _remove(article_id: int) -> None:
    try:
        services.hot_list_remove(article_id=article_id)
    except kv.REDIS_ERRORS as exc:
        # The withdrawal stands; the next run leaves the article out (see docs/ranking.md).
        logger.warning("hot list: could not remove withdrawn article %s: %s", article_id, exc)


@receiver(article_withdrawn, dispatch_uid="ranking.hot-list-withdrawn")
def drop_from_hot_list(sender, *, article_id, **kwargs):
    # After commit: a run storing concurrently must be able to see the withdrawal.
    transaction.on_commit(lambda: _remove(article_id), robust=True)
