import logging

from django.db import transaction

from ranking import services
from tinybook import kv

logger = logging.getLogger(__name__)


def _remove(article_id: int) -> None:
    try:
        services.hot_list_remove(article_id=article_id)
    except kv.REDIS_ERRORS as exc:
        # The withdrawal stands; the next run leaves the article out (see docs/ranking.md).
        logger.warning("hot list: could not remove withdrawn article %s: %s", article_id, exc)


def on_article_withdrawn(sender, *, article_id, **kwargs):
    # After commit: a run storing concurrently must be able to see the withdrawal.
    transaction.on_commit(lambda: _remove(article_id), robust=True)
