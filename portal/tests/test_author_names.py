"""Nothing derived from an email address or a phone number is shown to another user: an author
without a nickname is a neutral name from the id, in the reader's language, wherever an
article carries its author."""

import pytest
from rest_framework.test import APIClient

from articles import services as articles
from interactions import services as interactions
from ranking import copies
from ranking import services as ranking
from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit cache updates run


@pytest.fixture(autouse=True)
def _no_process_copy():
    copies._last_good = copies._copy = None
    yield
    copies._last_good = copies._copy = None


def _answers(article_id: int, language: str) -> dict[str, list[tuple]]:
    """(author id, author name) pairs in every answer that carries the article's author."""
    reader = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    detail = reader.get(f"/articles/pub/{article_id}").json()["data"]
    listed = reader.post("/articles/pub/list", {"offset": 0, "limit": 10}, format="json").json()["data"]
    hot = reader.get("/ranking/hot").json()["data"]
    top = reader.get("/ranking/likes").json()["data"]
    return {
        name: [(i["authorId"], i["authorName"], i["author"]["name"]) for i in items if i["id"] == article_id]
        for name, items in (("detail", [detail]), ("list", listed), ("hot", hot), ("likes", top))
    }


@pytest.mark.parametrize(("identity", "secret"), [
    ({"email": "fe.walker635117@example.test"}, "fe.walker"),
    ({"phone": "+8613900021338"}, "1338"),
])
def test_an_author_without_a_nickname_is_user_and_id_in_english_and_chinese(identity, secret):
    author = User.objects.create(**identity)
    article_id = articles.article_publish(author_id=author.id, title="Hello", content="<p>x</p>")
    interactions.like_set(user_id=UserFactory.create().id, biz_id=article_id, liked=True)
    assert ranking.hot_list_refresh() == "success"

    english = _answers(article_id, "en")
    assert english == {k: [(author.id, f"user {author.id}", f"user {author.id}")] for k in english}
    chinese = _answers(article_id, "zh-hans")  # the same cached copies, named for this reader
    assert chinese == {k: [(author.id, f"用户{author.id}", f"用户{author.id}")] for k in chinese}

    page = APIClient().get(f"/articles/{article_id}", HTTP_ACCEPT="text/html").content.decode()
    home = APIClient().get("/", HTTP_ACCEPT="text/html").content.decode()
    for html in (page, home):
        assert f"user {author.id}" in html
        assert secret not in html


def test_a_nickname_is_shown_as_it_is_everywhere():
    author = UserFactory.create(nickname="Ann")
    article_id = articles.article_publish(author_id=author.id, title="Hello", content="<p>x</p>")
    interactions.like_set(user_id=UserFactory.create().id, biz_id=article_id, liked=True)
    ranking.hot_list_refresh()
    answers = _answers(article_id, "zh-hans")
    assert answers == {k: [(author.id, "Ann", "Ann")] for k in answers}


def test_a_nickname_set_later_replaces_the_neutral_name_once_the_copy_is_refreshed():
    author = User.objects.create(email="late.namer@example.test")
    article_id = articles.article_publish(author_id=author.id, title="Hello", content="<p>x</p>")
    assert APIClient().get(f"/articles/pub/{article_id}").json()["data"]["authorName"] == f"user {author.id}"
    User.objects.filter(pk=author.pk).update(nickname="Late")
    articles.article_publish(author_id=author.id, article_id=article_id, title="Hello", content="<p>x</p>")
    assert APIClient().get(f"/articles/pub/{article_id}").json()["data"]["authorName"] == "Late"
