"""Celery shells around the feed's fan-out. Idempotent: pushing an article twice leaves one entry."""

from django.db import OperationalError

from relations import feed
from tinybook import kv
from tinybook.celery import app as celery_app


@celery_app.task(acks_late=True, ignore_result=True, autoretry_for=(OperationalError, *kv.REDIS_ERRORS),
                 retry_backoff=True, retry_jitter=True, max_retries=3)
def feed_fanout(article_id: int, author_id: int):
    return feed.fanout(article_id=article_id, author_id=author_id)
