"""The author page, the people pages, the follow button (a form with CSRF), and the pages the
portal composes: author names linked everywhere, the "Following" feed on the home page."""

import re

import pytest
from django.test import Client

from articles import services as articles
from relations.models import Follow
from relations.tests.helpers import follow, people, person, publish
from users.models import User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_celery")]


def _html(client, path, status=200) -> str:
    answer = client.get(path, HTTP_ACCEPT="text/html")
    assert answer.status_code == status, path
    return answer.content.decode()


def _article_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-article-id="(\d+)"', html)]


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def reader(db):
    return person(nickname="Reader")


@pytest.fixture
def browser(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def test_the_author_page_shows_the_card_and_only_live_articles_newest_first(settings):
    settings.UI_AUTHOR_PAGE_SIZE = 2
    author = person(nickname="Ann", about_me="Writes <b>short</b> stories")
    ids = [publish(author, title=f"Story {i}") for i in range(4)]
    articles.article_withdraw(author_id=author.id, article_id=ids[1])
    articles.article_save(author_id=author.id, title="Secret draft", content="<p>d</p>")
    follow(person(), author)
    html = _html(Client(), f"/u/{author.id}")
    assert "Ann" in html and "Writes &lt;b&gt;short&lt;/b&gt; stories" in html
    assert "3 articles" in html and "1 follower" in html and "0 following" in html
    assert _article_ids(html) == [ids[3], ids[2]]
    assert "Secret draft" not in html and "Story 1" not in html
    second = _html(Client(), f"/u/{author.id}?page=2")
    assert _article_ids(second) == [ids[0]]
    _html(Client(), f"/u/{author.id}?page=3", 404)
    _html(Client(), f"/u/{author.id}?page=x", 404)


def test_author_page_of_a_missing_or_inactive_user_is_404():
    inactive = person(is_active=False)
    for uid in (inactive.id, 10**12, 2**70):
        _html(Client(), f"/u/{uid}", 404)


def test_the_author_page_in_chinese(settings):
    author = person(nickname="")
    publish(author)
    html = _html(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), f"/u/{author.id}")
    assert f"用户{author.id}" in html and "1 篇文章" in html and "0 位粉丝" in html and "登录后关注" in html


def test_follow_and_unfollow_from_the_author_page(reader, browser):
    author = person(nickname="Ann")
    html = _html(browser, f"/u/{author.id}")
    assert 'aria-pressed="false"' in html
    answer = browser.post(f"/u/{author.id}/follow", {"follow": "1", "next": f"/u/{author.id}",
                                                     "csrfmiddlewaretoken": _csrf(html)})
    assert answer.status_code == 302 and answer["Location"] == f"/u/{author.id}"
    assert Follow.objects.filter(follower=reader, followee=author).exists()
    html = _html(browser, f"/u/{author.id}")
    assert "1 follower" in html and 'aria-pressed="true"' in html
    browser.post(f"/u/{author.id}/follow", {"follow": "0", "csrfmiddlewaretoken": _csrf(html)})
    assert not Follow.objects.exists()


def test_the_follow_form_needs_csrf_and_login(reader, browser):
    author = person()
    assert browser.post(f"/u/{author.id}/follow", {"follow": "1"}).status_code == 403
    anonymous = Client().post(f"/u/{author.id}/follow", {"follow": "1"})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert not Follow.objects.exists()


def test_the_follow_form_refuses_yourself_and_never_redirects_off_site(reader, browser):
    html = _html(browser, f"/u/{reader.id}")
    assert "data-follow" not in html  # no button on your own page
    answer = browser.post(f"/u/{reader.id}/follow", {"follow": "1", "next": "https://evil.example/",
                                                     "csrfmiddlewaretoken": _csrf(html)})
    assert answer.status_code == 302 and answer["Location"] == f"/u/{reader.id}"
    assert "you cannot follow yourself" in _html(browser, answer["Location"])
    assert not Follow.objects.exists()


def test_people_pages_list_followers_and_followees(reader, browser):
    author = person(nickname="Ann")
    fans = people(3)
    for fan in fans:
        follow(fan, author)
    follow(reader, fans[0])
    html = _html(browser, f"/u/{author.id}/followers")
    assert [int(i) for i in re.findall(r'data-user-id="(\d+)"', html)] == [f.id for f in reversed(fans)]
    following = _html(browser, f"/u/{fans[0].id}/following")
    assert re.findall(r'data-user-id="(\d+)"', following) == [str(author.id)]


def test_the_article_page_links_the_author_and_has_a_follow_button(reader, browser):
    author = person(nickname="Ann")
    aid = publish(author)
    html = _html(browser, f"/articles/{aid}")
    assert f'href="/u/{author.id}"' in html
    browser.post(f"/u/{author.id}/follow", {"follow": "1", "next": f"/articles/{aid}",
                                            "csrfmiddlewaretoken": _csrf(html)})
    assert 'aria-pressed="true"' in _html(browser, f"/articles/{aid}")
    assert "Log in to follow" in _html(Client(), f"/articles/{aid}")


def test_home_links_every_author_and_shows_the_following_feed_with_more(settings, reader, browser):
    settings.UI_FEED_PAGE_SIZE = 2
    followed, other = person(nickname="Ann"), person(nickname="Bob")
    follow(reader, followed)
    mine = [publish(followed, title=f"Mine {i}") for i in range(3)]
    publish(other, title="Not followed")
    html = _html(browser, "/")
    section = html.split('id="following"')[1].split("</section>")[0]
    assert _article_ids(section) == mine[::-1][:2]
    assert f'href="/u/{followed.id}"' in section
    more = re.search(r'href="(/following\?before=[^"]+)"', section).group(1)
    rest = _html(browser, more.replace("&amp;", "&"))
    assert _article_ids(rest) == [mine[0]]
    newest = html.split('id="newest"')[1]
    assert f'href="/u/{other.id}"' in newest and f'href="/u/{followed.id}"' in newest
    assert 'id="following"' not in _html(Client(), "/")  # logged out: no feed
    _html(browser, "/following?before=garbage", 404)


def test_a_reader_following_nobody_sees_an_invitation(browser):
    html = _html(browser, "/")
    assert "Follow authors to see their new articles here." in html
    assert "Follow authors to see their new articles here." in _html(browser, "/following")


@pytest.mark.parametrize(("identity", "secrets"), [
    ({"email": "fe.walker635117@example.test"}, ["fe.walker", "635117", "example.test"]),
    ({"phone": "+8613900021338"}, ["1338", "139000", "+86"]),
])
def test_no_part_of_an_email_or_phone_shows_on_any_relations_page_or_answer(reader, browser, identity, secrets):
    from conftest import login_client

    nameless = User.objects.create(**identity)  # signed up by email or SMS, no nickname
    aid = publish(nameless)
    follow(reader, nameless)
    follow(nameless, reader)
    api = login_client(reader)
    answers = [
        api.get(f"/users/card/{nameless.id}").content.decode(),
        api.get(f"/relations/followees?uid={reader.id}").content.decode(),
        api.get(f"/relations/followers?uid={reader.id}").content.decode(),
        api.get("/feed").content.decode(),
        _html(browser, f"/u/{nameless.id}"),
        _html(browser, f"/u/{reader.id}/followers"),
        _html(browser, f"/u/{reader.id}/following"),
        _html(browser, "/"),
        _html(browser, "/following"),
        _html(browser, f"/articles/{aid}"),
    ]
    for text in answers:
        assert f"user {nameless.id}" in text
        for secret in secrets:
            assert secret not in text
    chinese = login_client(reader)
    card = chinese.get(f"/users/card/{nameless.id}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["data"]
    assert card["name"] == f"用户{nameless.id}"
