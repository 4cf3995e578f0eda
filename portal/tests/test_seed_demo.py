"""seed_demo: demo data that keeps every invariant the services keep, and a working login."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from rest_framework.test import APIClient

from articles.models import Article, ArticleStatus, LiveArticle
from interactions import cache
from interactions.models import BIZ_ARTICLE, CollectedItem, Counter, Like
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, "--seed", "3", "-v", "0", stdout=out)
    return out.getvalue()


def test_seeds_users_drafts_and_live_articles_with_exact_counters():
    out = _seed("--users", "12", "--articles", "40", "--draft-ratio", "0.25", "--max-likes", "10")
    assert User.objects.count() == 12
    assert Article.objects.count() == 40
    published = set(Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("id", flat=True))
    assert published and published != set(Article.objects.values_list("id", flat=True))  # some drafts
    assert set(LiveArticle.objects.values_list("id", flat=True)) == published
    likes = dict(Like.objects.filter(status=True).values("biz_id").annotate(n=Count("id")).values_list("biz_id", "n"))
    collects = dict(CollectedItem.objects.values("biz_id").annotate(n=Count("id")).values_list("biz_id", "n"))
    for counter in Counter.objects.filter(biz=BIZ_ARTICLE):
        assert counter.biz_id in published
        assert counter.like_cnt == likes.get(counter.biz_id, 0)
        assert counter.collect_cnt == collects.get(counter.biz_id, 0)
        assert counter.read_cnt >= counter.like_cnt
    assert sum(likes.values()) > 0
    assert "40 articles" in out


def test_the_like_ranking_and_hot_list_are_ready():
    _seed("--users", "10", "--articles", "20", "--draft-ratio", "0")
    ranked = dict(cache.ranking_top(BIZ_ARTICLE, 0, -1))
    expected = dict(Counter.objects.filter(like_cnt__gt=0).values_list("biz_id", "like_cnt"))
    assert ranked == expected
    hot = APIClient().get("/ranking/hot").json()["data"]
    assert hot and {item["id"] for item in hot} <= set(LiveArticle.objects.values_list("id", flat=True))


def test_content_is_sanitized_and_abstracts_are_plain_text():
    _seed("--users", "3", "--articles", "10", "--draft-ratio", "0")
    for article in LiveArticle.objects.all():
        assert article.content.startswith("<p>") and "<script" not in article.content
        assert "<" not in article.abstract and 0 < len(article.abstract) <= 128


def test_the_printed_login_works():
    out = _seed("--users", "2", "--articles", "1")
    email, password = out.strip().splitlines()[-1].removeprefix("demo login: ").split(" / ")
    resp = APIClient().post("/users/login", json.dumps({"email": email, "password": password}),
                            content_type="application/json", HTTP_USER_AGENT="pytest", HTTP_ACCEPT="application/json")
    assert resp.json()["code"] == 0
    assert resp["x-jwt-token"]


def test_if_empty_adds_nothing_to_a_database_with_users():
    _seed("--users", "2", "--articles", "3")
    out = _seed("--users", "5", "--articles", "5", "--if-empty")
    assert "nothing added" in out
    assert "demo login: demo@example.com" in out
    assert (User.objects.count(), Article.objects.count()) == (2, 3)


def test_running_twice_adds_more_without_breaking_uniqueness():
    _seed("--users", "3", "--articles", "3")
    _seed("--users", "3", "--articles", "3")
    assert User.objects.count() == 6  # the demo account once, then five readers
    assert User.objects.filter(email="demo@example.com").count() == 1


@pytest.mark.parametrize("args", [["--users", "-1"], ["--batch-size", "0"], ["--draft-ratio", "1.5"]])
def test_bad_options_are_refused(args):
    with pytest.raises(CommandError):
        _seed(*args)
    assert not User.objects.exists()
