"""The pages without JavaScript, through Django's test client: home, navigation, language,
the dashboard's totals and chart, and escaping of stored text."""

import re

import pytest
from django.template import Context, Template

from articles import services as articles
from articles.records import DraftRecord
from interactions import services as interactions
from interactions.selectors import Stats as Engagement
from ranking import copies as ranking
from ranking import services as ranking_services
from tinybook import kv
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_process_copy():
    """No hot list left in this process's memory by an earlier test."""
    ranking._last_good = ranking._copy = None
    yield
    ranking._last_good = ranking._copy = None


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="ann")


def publish(author, title, likes=0):
    article_id = articles.article_publish(author_id=author.id, title=title, content=f"<p>{title} body</p>")
    for fan in UserFactory.create_batch(likes):
        interactions.like_set(user_id=fan.id, biz_id=article_id, liked=True)
    return article_id


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, f"no #{section_id} section"
    return match.group(0)


def titles(fragment: str) -> list[str]:
    return re.findall(r'class="item-title"[^>]*>([^<]*)<', fragment)


# --- home -----------------------------------------------------------------------------------------

def test_home_shows_the_hot_list_best_first_and_the_newest_articles(client, author, settings):
    settings.UI_HOME_HOT_COUNT = 2
    publish(author, "Quiet", likes=0)
    publish(author, "Loved", likes=4)
    publish(author, "Liked", likes=2)
    assert ranking_services.hot_list_refresh(trigger="test") == "success"
    html = client.get("/").content.decode()
    assert titles(section(html, "hot")) == ["Loved", "Liked"]  # UI_HOME_HOT_COUNT of them
    assert titles(section(html, "newest")) == ["Liked", "Loved", "Quiet"]
    assert "4 likes" in section(html, "hot")


def test_home_without_articles_says_so(client, db):
    html = client.get("/").content.decode()
    assert "Nothing is hot yet" in html and "No articles yet." in html


def test_newest_articles_are_paginated_and_bad_pages_are_404(client, author, settings):
    settings.UI_HOME_PAGE_SIZE = 2
    for n in range(5):
        publish(author, f"A{n}")
    first = client.get("/").content.decode()
    assert titles(section(first, "newest")) == ["A4", "A3"]
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    second = client.get("/?page=2").content.decode()
    assert titles(section(second, "newest")) == ["A2", "A1"]
    assert 'id="hot"' not in second  # the hot list belongs to the first page
    third = client.get("/?page=3").content.decode()
    assert titles(section(third, "newest")) == ["A0"]
    assert 'rel="next"' not in third and 'rel="prev" href="?page=2"' in third
    for bad in ("4", "0", "-1", "abc", "1.5", "２", "9" * 40):
        assert client.get("/", {"page": bad}).status_code == 404, bad
    browser_404 = client.get("/", {"page": "abc"}, HTTP_ACCEPT="text/html")
    assert "There is nothing here." in browser_404.content.decode()  # the site's own page


def test_no_page_past_the_deepest_allowed_is_offered_or_served(client, author, settings):
    settings.UI_HOME_PAGE_SIZE = 1
    settings.UI_HOME_MAX_PAGES = 2
    for n in range(4):
        publish(author, f"B{n}")
    assert 'rel="next" href="?page=2"' in client.get("/").content.decode()
    assert 'rel="next"' not in client.get("/?page=2").content.decode()
    assert client.get("/?page=3").status_code == 404


def test_withdrawn_articles_leave_the_home_page(client, author, django_capture_on_commit_callbacks):
    keep = publish(author, "Stays")
    gone = publish(author, "Goes", likes=3)
    ranking_services.hot_list_refresh(trigger="test")
    assert "Goes" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # as after a real commit
        articles.article_withdraw(author_id=author.id, article_id=gone)
    html = client.get("/").content.decode()
    assert "Goes" not in html and f'data-article-id="{keep}"' in html


# --- navigation and language --------------------------------------------------------------------

def test_navigation_follows_the_login_state(client, author):
    anon = client.get("/").content.decode()
    assert 'data-nav="login"' in anon and 'data-nav="signup"' in anon
    assert 'data-nav="dashboard"' not in anon and 'data-nav="logout"' not in anon
    client.force_login(author)
    mine = client.get("/").content.decode()
    for nav in ("write", "dashboard", "collections", "profile", "logout"):
        assert f'data-nav="{nav}"' in mine
    assert 'data-nav="login"' not in mine
    dashboard = client.get("/dashboard/articles").content.decode()
    assert re.findall(r'data-nav="(\w+)" aria-current="page"', dashboard) == ["dashboard"]
    # Logging out is a POST form (a GET does nothing).
    assert re.search(r'<form method="post" action="/account/logout"', mine)
    assert client.get("/account/logout").status_code == 405
    client.post("/account/logout")
    assert 'data-nav="login"' in client.get("/").content.decode()


def test_the_language_switch_sets_chinese_and_returns_to_the_page(client, db):
    resp = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/account/login"})
    assert resp.status_code == 302 and resp["Location"] == "/account/login"
    html = client.get("/account/login").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html and "用微信扫码" in html
    home = client.get("/").content.decode()
    assert "正在热门" in home and "最新发布" in home


# --- dashboard ------------------------------------------------------------------------------------

def test_dashboard_totals_sum_the_articles_numbers(client, author):
    one = publish(author, "One", likes=2)
    two = publish(author, "Two", likes=1)
    fan = UserFactory.create()
    interactions.collect_set(user_id=fan.id, biz_id=two, collected=True)
    articles.article_save(author_id=author.id, title="Draft", content="d")
    client.force_login(author)
    html = client.get("/dashboard/articles").content.decode()
    assert 'data-total="likes">3<' in html
    assert 'data-total="collects">1<' in html
    assert re.search(rf'data-article-id="{one}".*?data-metric="likes">2<', html, re.S)
    # The chart has a group of three bars per article, the draft included.
    assert html.count('<rect class="c-') == 9


def test_dashboard_totals_cover_every_article_not_only_this_page(client, author, settings):
    settings.UI_DASHBOARD_PAGE_SIZE = 1
    publish(author, "Older", likes=2)
    publish(author, "Newer", likes=1)
    publish(UserFactory.create(), "Someone else's", likes=5)
    client.force_login(author)
    html = client.get("/dashboard/articles").content.decode()
    assert html.count("<tr data-article-id=") == 1  # one article on this page …
    assert 'data-total="likes">3<' in html  # … totals over both of mine, none of theirs


def test_dashboard_of_an_author_without_articles_invites_to_write(client, author):
    client.force_login(author)
    html = client.get("/dashboard/articles").content.decode()
    assert "Write your first article" in html and "<svg" not in html


def _row(i, title, reads, likes, collects):
    from django.utils import timezone

    now = timezone.now()
    record = DraftRecord(id=i, author_id=1, title=title, content=None, abstract="", status=2, ctime=now, utime=now)
    return record, Engagement(read_cnt=reads, like_cnt=likes, collect_cnt=collects)


def render_chart(rows) -> str:
    return Template("{% load dashboard_chart %}{% engagement_chart rows %}").render(Context({"rows": rows}))


def test_chart_scales_each_measure_to_its_largest_value_and_prints_the_numbers():
    svg = render_chart([_row(1, "Big", 200, 4, 0), _row(2, "Small", 50, 1, 3)])
    widths = re.findall(r'<rect class="(c-\w+)" x="0" y="\d+" width="([\d.]+)%"', svg)
    assert widths == [
        ("c-read", "85.0"), ("c-like", "85.0"), ("c-collect", "0.0"),
        ("c-read", "21.2"), ("c-like", "21.2"), ("c-collect", "85.0"),
    ]
    assert re.findall(r'data-metric="c-read">(\d+)<', svg) == ["200", "50"]
    assert "<title>Likes: 4</title>" in svg


def test_chart_shows_at_most_the_configured_number_of_articles(settings):
    settings.UI_CHART_MAX_ARTICLES = 2
    svg = render_chart([_row(i, f"T{i}", i, 0, 0) for i in range(1, 6)])
    assert re.findall(r'<g data-article-id="(\d+)">', svg) == ["1", "2"]
    assert "2 articles shown" in svg


def test_chart_of_nothing_is_empty():
    assert render_chart([]).strip() == ""


def test_chart_escapes_titles_and_numbers_are_not_localized(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        svg = render_chart([_row(1, "<script>x</script>", 3, 1, 1), _row(2, "y", 1, 1, 1)])
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    assert 'width="28.3%"' in svg  # a dot, whatever the language
    assert "阅读" in svg


# --- escaping -------------------------------------------------------------------------------------

EVIL = '<script>alert("t")</script>'


def test_stored_markup_is_escaped_on_every_page(client, author):
    evil_author = UserFactory.create(nickname='<img src onerror=x>')
    article_id = articles.article_publish(author_id=evil_author.id, title=EVIL, content=f"<p>ok</p>{EVIL}")
    ranking_services.hot_list_refresh(trigger="test")
    pages = [client.get("/"), client.get(f"/articles/{article_id}")]
    client.force_login(evil_author)
    pages += [client.get("/dashboard/articles"), client.get(f"/dashboard/articles/{article_id}/withdraw")]
    for resp in pages:
        html = resp.content.decode()
        assert resp.status_code == 200
        assert EVIL not in html and "<img src onerror" not in html, resp.request["PATH_INFO"]
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html, resp.request["PATH_INFO"]


def test_home_still_lists_articles_with_redis_down(client, author, settings):
    publish(author, "Still here", likes=1)
    ranking_services.hot_list_refresh(trigger="test")
    client.get("/")  # this process now holds a copy of the hot list
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    }}
    with pytest.raises(kv.REDIS_ERRORS):
        kv.client().ping()
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert titles(section(html, "newest")) == ["Still here"]
    assert titles(section(html, "hot")) == ["Still here"]  # the in-process copy
