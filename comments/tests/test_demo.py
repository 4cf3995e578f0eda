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
