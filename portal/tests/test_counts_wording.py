"""Counts read as language: "1 read", "2 reads" (ngettext), in English and Chinese, on the home
page's items, the article page and the dashboard."""

import re

import pytest

from articles import services as articles
from interactions import services as interactions
from interactions.models import BIZ_ARTICLE
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def engaged(author, n: int) -> int:
    """A live article with n reads, n likes and n collects."""
    article_id = articles.article_publish(author_id=author.id, title=f"Has {n}", content="<p>body</p>")
    for fan in UserFactory.create_batch(n):
        interactions.like_set(user_id=fan.id, biz_id=article_id, liked=True)
        interactions.collect_set(user_id=fan.id, biz_id=article_id, collected=True)
    if n:
        interactions.reads_apply(counts={(BIZ_ARTICLE, article_id): n})
    return article_id


def item_stats(html: str, article_id: int) -> str:
    block = re.search(rf'data-article-id="{article_id}".*?<span class="stats">(.*?)</span>', html, re.S).group(1)
    return " ".join(block.split())


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="ann")


def chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def test_list_items_say_1_read_and_2_reads(client, author):
    one, two = engaged(author, 1), engaged(author, 2)
    html = client.get("/").content.decode()
    assert item_stats(html, one) == "1 read · 1 like · 1 collect"
    assert item_stats(html, two) == "2 reads · 2 likes · 2 collects"


def test_list_items_in_chinese(client, author, settings):
    one = engaged(author, 1)
    html = chinese(client, settings).get("/").content.decode()
    assert item_stats(html, one) == "阅读 1 · 点赞 1 · 收藏 1"


def test_the_article_page_says_1_read(client, author, settings):
    settings.READ_EVENTS_INLINE = False  # this visit is not counted yet: the page shows 1
    one = engaged(author, 1)
    html = " ".join(client.get(f"/articles/{one}").content.decode().split())
    assert '<span class="muted">1 read</span>' in html
    assert "1 like · 1 collect" in html
    html = " ".join(chinese(client, settings).get(f"/articles/{engaged(author, 2)}").content.decode().split())
    assert "阅读 2" in html and "点赞 2 · 收藏 2" in html


def test_the_dashboard_says_1_read_in_its_totals_and_its_cards(client, author, settings):
    engaged(author, 1)
    client.force_login(author)
    html = client.get("/dashboard/articles").content.decode()
    assert re.search(r'data-total="reads">1</b>read<', html)
    assert re.search(r'data-total="collects">1</b>collect<', html)
    assert 'data-unit="read" data-metric="reads">1<' in html
    engaged(author, 1)
    html = client.get("/dashboard/articles").content.decode()
    assert re.search(r'data-total="reads">2</b>reads<', html)
    html = chinese(client, settings).get("/dashboard/articles").content.decode()
    assert re.search(r'data-total="reads">2</b>阅读<', html) and 'data-unit="阅读"' in html
