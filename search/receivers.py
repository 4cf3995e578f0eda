"""The index follows publish, republish, withdraw, profile edits and saved users (wired in ``SearchConfig.ready``).

Articles and users send their signals after their write committed; the index is written then
(``on_commit`` also covers a caller that wraps the write in a larger transaction), so it never
holds what was rolled back. A failed write is logged and counted; the article or profile change
stands, the query-time live filter keeps a withdrawn article out of answers regardless, and
``search_check --fix`` (also run periodically, SEARCH_REPAIR_INTERVAL) repairs the index.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.signals import article_published, article_withdrawn
from search import metrics, services
from users.signals import user_profile_changed

logger = logging.getLogger(__name__)


def _guarded(kind: str, what: str, call, **kwargs) -> None:
    try:
        call(**kwargs)
    except DatabaseError as exc:
        metrics.INDEX_UPDATES.labels(kind, "failed").inc()
        logger.warning("search index: %s not updated (%s); search_check --fix repairs it", what, exc)


def _article(article_id: int) -> None:
    transaction.on_commit(
        lambda: _guarded("article", f"article {article_id}", services.articles_sync, ids=[article_id]), robust=True
    )


@receiver(article_published, dispatch_uid="search.article-published")
def article_index(sender, *, article_id, **kwargs):
    _article(article_id)


@receiver(article_withdrawn, dispatch_uid="search.article-withdrawn")
def article_unindex(sender, *, article_id, **kwargs):
    _article(article_id)


@receiver(user_profile_changed, dispatch_uid="search.user-profile-changed")
def user_reindex(sender, *, user_id, nickname_changed=False, **kwargs):
    def run():
        _guarded("user", f"user {user_id}", services.users_sync, ids=[user_id])
        if nickname_changed:  # the name is part of each of their articles
            _guarded("article", f"articles of user {user_id}", services.author_articles_sync, author_id=user_id)

    transaction.on_commit(run, robust=True)


_SEARCHED_FIELDS = frozenset({"nickname", "about_me", "is_active"})


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="search.user-saved")
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    """A user saved as a model (sign-up, the admin, the shell): what can be searched may have
    changed. A save of other fields only (a login's ``last_login``) is not worth an index write."""
    if update_fields is not None and not (_SEARCHED_FIELDS & set(update_fields)):
        return
    if created and not (instance.nickname or instance.about_me):
        return  # nothing to find: no entry to write
    user_id = instance.pk
    renamed = not created and (update_fields is None or "nickname" in update_fields)

    def run():
        _guarded("user", f"user {user_id}", services.users_sync, ids=[user_id])
        if renamed:  # perhaps a new name (the admin): their articles carry it
            _guarded("article", f"articles of user {user_id}", services.author_articles_sync, author_id=user_id)

    transaction.on_commit(run, robust=True)
