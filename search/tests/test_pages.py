"""The search box in the navigation, the results page, the admin's view of the index."""

import re

from search.tests.conftest import found
from users.tests.factories import UserFactory


def test_every_page_has_the_search_box(client, db):
    html = client.get("/").content.decode()
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search/results"', html)
    assert 'name="q"' in html


def test_results_page_shows_highlighted_matches_with_links_and_tabs(client, publish):
    article_id = publish("Redis <b>实战</b>", "<p>缓存 and <i>more</i></p>")
    html = client.get("/search/results", {"q": "实战"}).content.decode()
    assert f'href="/articles/{article_id}"' in html
    assert "Redis &lt;b&gt;<mark>实战</mark>&lt;/b&gt;" in html
    assert 'data-total="1"' in html
    assert 'data-tab="user"' in html and "type=user" in html


def test_results_page_paginates(client, publish, settings):
    settings.SEARCH_PAGE_SIZE = 2
    ids = [publish(f"Page {n}", "<p>x</p>") for n in range(5)]
    first = client.get("/search/results", {"q": "page"}).content.decode()
    third = client.get("/search/results", {"q": "page", "page": "3"}).content.decode()
    assert f'data-article-id="{ids[4]}"' in first and f'data-article-id="{ids[2]}"' not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert f'data-article-id="{ids[0]}"' in third and 'rel="next"' not in third


def test_people_tab_finds_authors_and_links_to_their_page(client, db):
    from search import services

    grace = UserFactory.create(nickname="Grace", about_me="compilers", email="grace@example.com")
    services.users_sync(ids=[grace.id])
    html = client.get("/search/results", {"q": "grace", "type": "user"}).content.decode()
    assert f'href="/u/{grace.id}"' in html
    assert "<mark>Grace</mark>" in html
    assert "grace@example.com" not in html


def test_bad_queries_show_a_message_not_an_error(client, db):
    resp = client.get("/search/results", {"q": "x" * 101})
    assert resp.status_code == 200
    assert "1 to 100 characters" in resp.content.decode()
    assert client.get("/search/results", {"q": "a", "page": "abc"}).status_code == 200
    assert client.get("/search/results").status_code == 200


def test_admin_lists_the_index_and_reindexes_selected(admin_client, publish, withdraw, api):
    from articles import services as articles

    kept = publish("Admin kept", "<p>x</p>")
    gone = publish("Admin gone", "<p>x</p>")
    articles.article_withdraw(author_id=UserFactory._meta.model.objects.get(nickname="ann").id, article_id=gone)
    assert admin_client.get("/admin/search/articleentry/").status_code == 200
    resp = admin_client.post("/admin/search/articleentry/",
                             {"action": "reindex_selected", "_selected_action": [kept, gone]})
    assert resp.status_code == 302
    assert found(api, "admin") == [kept]
    from search.tests.test_index import indexed

    assert indexed() == [kept]
