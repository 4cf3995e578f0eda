"""seed_demo's comment threads keep what the services keep."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from comments.models import Comment, CommentCounter

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_threads_have_exact_counters(api):
    out = StringIO()
    call_command("seed_demo", "--users", "8", "--articles", "12", "--draft-ratio", "0", "--max-threads", "6",
                 "--rewards", "0", "--seed", "4", "-v", "0", stdout=out)
    assert Comment.objects.exists()
    visible = dict(Comment.objects.filter(deleted=False).values("biz_id").annotate(n=Count("id"))
                   .values_list("biz_id", "n"))
    counted = dict(CommentCounter.objects.filter(cnt__gt=0).values_list("biz_id", "cnt"))
    assert counted == visible
    for root in Comment.objects.filter(root__isnull=True):
        assert root.reply_cnt == Comment.objects.filter(root=root).count()
    article, n = next(iter(visible.items()))
    assert api.get(f"/articles/pub/{article}").json()["data"]["commentCnt"] == n
    assert f"{sum(visible.values())} comments" in out.getvalue()


def test_check_comments_finds_and_repairs_what_a_removed_user_left(alice_api, alice, article):
    from comments.tests.helpers import created
    from conftest import login_client
    from users.tests.factories import UserFactory

    bob = UserFactory.create()
    root = created(alice_api, article, "root")
    created(login_client(bob), article, "bob's reply", rootId=root["id"])
    created(alice_api, article, "alice's reply", rootId=root["id"])
    bob.delete()  # his comment goes with him, the counters are not told
    out = StringIO()
    call_command("check_comments", stdout=out)
    assert "found 1 wrong counts, 1 wrong reply counts" in out.getvalue()
    call_command("check_comments", "--fix", stdout=StringIO())
    assert CommentCounter.objects.get(biz_id=article).cnt == 2
    assert Comment.objects.get(pk=root["id"]).reply_cnt == 1
    out = StringIO()
    call_command("check_comments", stdout=out)
    assert "found 0 wrong counts, 0 wrong reply counts" in out.getvalue()
    from comments.tests.helpers import listed

    assert listed(alice_api, article)[0]["replyCnt"] == 1
