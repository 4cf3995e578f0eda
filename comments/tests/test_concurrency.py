"""Real threads on the real database: the counter row's lock keeps commentCnt exact."""


import pytest

from comments import services
from comments.models import Comment, CommentCounter
from tinybook.tests.concurrency import mariadb_only, run_at_once  # noqa: F401 (mariadb_only: autouse)
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]






def _visible(article) -> int:
    return Comment.objects.filter(biz_id=article, deleted=False).count()


def test_twenty_users_commenting_at_once_count_twenty(api, article):
    users = UserFactory.create_batch(20)
    errors = run_at_once([lambda u=u: services.comment_create(user_id=u.id, biz_id=article, content=f"hi {u.id}")
                          for u in users])
    assert errors == []
    assert CommentCounter.objects.get(biz_id=article).cnt == _visible(article) == 20
    assert api.get(f"/articles/pub/{article}").json()["data"]["commentCnt"] == 20


def test_deletes_racing_replies_leave_the_count_equal_to_what_is_visible(api, author, article, settings):
    settings.COMMENT_RATE = 0
    users = UserFactory.create_batch(6)
    roots = [services.comment_create(user_id=u.id, biz_id=article, content=f"root {u.id}")["id"] for u in users]
    replies = [services.comment_create(user_id=users[0].id, biz_id=article, root_id=r, content=f"r {r}")["id"]
               for r in roots]
    fns = []
    for i, root in enumerate(roots):
        fns.append(lambda root=root: services.comment_delete(user_id=author.id, comment_id=root))
        fns.append(lambda root=root, i=i: services.comment_create(user_id=users[i].id, biz_id=article,
                                                                  root_id=root, content=f"late {i}"))
        fns.append(lambda r=replies[i]: services.comment_delete(user_id=users[0].id, comment_id=r))
        fns.append(lambda r=replies[i]: services.comment_delete(user_id=users[0].id, comment_id=r))  # twice
    errors = run_at_once(fns)
    # A reply may lose the race to its root's removal (refused: code 4); nothing else fails.
    assert all(getattr(e, "code", None) == 4 for e in errors), errors
    assert CommentCounter.objects.get(biz_id=article).cnt == _visible(article)
    for root in Comment.objects.filter(biz_id=article, root__isnull=True):
        assert root.reply_cnt == Comment.objects.filter(root=root).count()
        assert not (root.deleted and root.reply_cnt == 0)
    assert api.get(f"/articles/pub/{article}").json()["data"]["commentCnt"] == _visible(article)
