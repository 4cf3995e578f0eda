"""The article page's comments, the dashboard's counts, the admin."""

import re

import pytest
from django.test import Client

from comments.models import Comment
from comments.tests.helpers import created
from conftest import login_client
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NASTY = '<script>alert("x")</script> <img src=x onerror=alert(1)> javascript:alert(1) &amp; &lt;b&gt;'


def _browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(client, article, query="") -> str:
    response = client.get(f"/articles/{article}{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_count_threads_and_escapes_everything(alice_api, alice, article):
    root = created(alice_api, article, NASTY + "\nsecond line")
    reply = created(login_client(UserFactory.create(nickname="<b>bob</b>")), article, "answer",
                    rootId=root["id"], parentId=root["id"])
    html = _page(_browser(), article)
    assert "2 comments" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bob</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp;amp; &amp;lt;b&amp;gt;" in html  # entities shown as typed, not decoded
    assert 'href="javascript:' not in html
    assert "second line" in html
    assert f'href="/u/{alice.id}"' in html
    assert "&lt;b&gt;bob&lt;/b&gt;" in html
    assert f'id="c{reply["id"]}"' in html and "reply to" in html
    assert "alice.secret" not in html
    assert "Log in to comment." in html and 'action="/comments/post"' not in html


def test_more_replies_and_older_comments(alice_api, article, settings):
    settings.COMMENT_RATE = 0
    root = created(alice_api, article, "root")
    for i in range(4):
        created(alice_api, article, f"reply {i}", rootId=root["id"])
    html = _page(_browser(), article)
    assert "data-more-replies" in html and "reply 2" in html and "reply 3" not in html
    for i in range(settings.COMMENT_PAGE_DEFAULT):
        created(alice_api, article, f"newer {i}")
    html = _page(_browser(), article)
    older = re.search(r'href="\?before=(\d+)#comments"', html)
    assert older and "reply 0" not in html
    assert "reply 0" in _page(_browser(), article, f"?before={older.group(1)}")


def test_a_reader_comments_replies_and_deletes_through_the_forms(alice, author, article):
    browser = _browser(alice)
    html = _page(browser, article)
    assert 'action="/comments/post"' in html
    r = browser.post("/comments/post", {"bizId": article, "content": "from the form\nline two",
                                        "next": f"/articles/{article}"})
    assert r.status_code == 302 and r["Location"].startswith(f"/articles/{article}#c")
    root = Comment.objects.get()
    assert root.content == "from the form\nline two"
    browser.post("/comments/post", {"bizId": article, "rootId": root.pk, "parentId": root.pk, "content": "self reply",
                                    "next": f"/articles/{article}"})
    html = _page(browser, article)
    assert "2 comments" in html and "self reply" in html
    # Delete buttons: mine for me; everything for the article's author; nothing for a stranger.
    assert html.count('action="/comments/remove"') == 2
    assert _page(_browser(author), article).count('action="/comments/remove"') == 2
    assert 'action="/comments/remove"' not in _page(_browser(UserFactory.create()), article)
    r = browser.post("/comments/remove", {"id": root.pk, "next": f"/articles/{article}"})
    assert r.status_code == 302
    html = _page(browser, article)
    assert "[deleted]" in html and "1 comment" in html


def test_a_refused_form_says_why_and_stores_nothing(alice, article):
    browser = _browser(alice)
    r = browser.post("/comments/post", {"bizId": article, "content": "   ", "next": "https://evil.example/"},
                     follow=False)
    assert r.status_code == 302 and r["Location"].startswith("/#")  # never off-site
    r = browser.post("/comments/post", {"bizId": article, "content": "   ", "next": f"/articles/{article}"},
                     follow=True)
    assert Comment.objects.count() == 0
    assert 'class="flash"' in r.content.decode()


def test_forms_need_login(article):
    r = _browser().post("/comments/post", {"bizId": article, "content": "x"})
    assert r.status_code == 302 and "login" in r["Location"]
    assert Comment.objects.count() == 0


def test_the_dashboard_shows_comments_per_article(alice_api, author, article):
    created(alice_api, article, "one")
    created(alice_api, article, "two")
    html = _browser(author).get("/dashboard/articles").content.decode()
    assert 'data-metric="comments">2<' in html
    assert 'data-total="comments">2<' in html


def test_admin_lists_searches_filters_and_removes(alice_api, alice, author, article):
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    a = created(alice_api, article, "needle in the text")
    b = created(login_client(author), article, "other text")
    admin = _browser(staff)
    html = admin.get("/admin/comments/comment/").content.decode()
    assert "needle in the text" in html and "other text" in html
    html = admin.get("/admin/comments/comment/", {"q": "needle"}).content.decode()
    assert "needle in the text" in html and "other text" not in html
    html = admin.get("/admin/comments/comment/", {"user__id__exact": alice.id}).content.decode()
    assert "needle in the text" in html and "other text" not in html
    html = admin.get("/admin/comments/comment/", {"biz__exact": "article", "biz_id": article + 1}).content.decode()
    assert "needle in the text" not in html
    r = admin.post("/admin/comments/comment/", {"action": "remove_comments", "_selected_action": [a["id"]]})
    assert r.status_code == 302
    assert list(Comment.objects.values_list("id", flat=True)) == [b["id"]]
    assert _browser().get(f"/articles/{article}").content.decode().count('class="thread"') == 1


def test_in_chinese_the_comments_and_refusals_are_chinese(alice, alice_api, article):
    nameless = UserFactory.create(nickname="")
    created(login_client(nameless), article, "hi")
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/articles/{article}").content.decode()
    assert "1 条评论" in html and "登录后发表评论" in html and f"用户{nameless.id}" in html
    body = alice_api.post("/comments/create", {"biz": "article", "bizId": article, "content": " "}, format="json",
                          HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["code"] == 4 and body["msg"] == "内容：不能为空"


def test_a_refused_comment_keeps_its_text_in_the_form(alice, article, settings):
    settings.COMMENT_RATE = 1
    browser = _browser(alice)
    back = {"bizId": article, "next": f"/articles/{article}"}
    browser.post("/comments/post", {**back, "content": "first"})
    root = Comment.objects.get()
    r = browser.post("/comments/post", {**back, "content": "second <b>try</b>"}, follow=True)
    html = r.content.decode()
    assert Comment.objects.count() == 1
    assert ">second &lt;b&gt;try&lt;/b&gt;</textarea>" in html
    r = browser.post("/comments/post", {**back, "rootId": root.pk, "parentId": root.pk, "content": "a reply"},
                     follow=True)
    html = r.content.decode()
    assert "<details open>" in html and ">a reply</textarea>" in html
    assert "a reply</textarea>" not in _page(browser, article)  # once
