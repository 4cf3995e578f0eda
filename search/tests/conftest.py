import pytest

from articles import services as articles
from search import services
from users.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_index(db):
    """Each test starts with an empty index. On MariaDB the Mroonga tables are not transactional:
    what a test wrote is not rolled back with the rest, so it is cleared here, before and after."""
    for kind in services.KINDS:
        services.clear(kind)
    yield
    for kind in services.KINDS:
        services.clear(kind)


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="ann", about_me="")


@pytest.fixture
def publish(author, django_capture_on_commit_callbacks):
    """Publish through the articles service, the index receivers run as on a real commit."""

    def _publish(title, content="<p>text</p>", *, by=None, article_id=None):
        with django_capture_on_commit_callbacks(execute=True):
            return articles.article_publish(author_id=(by or author).id, article_id=article_id, title=title,
                                            content=content)

    return _publish


@pytest.fixture
def withdraw(author, django_capture_on_commit_callbacks):
    def _withdraw(article_id, *, by=None):
        with django_capture_on_commit_callbacks(execute=True):
            articles.article_withdraw(author_id=(by or author).id, article_id=article_id)

    return _withdraw


def search(api, q, **params):
    resp = api.get("/search", {"q": q, **params})
    assert resp.status_code == 200, resp.content[:300]
    return resp.json()


def found(api, q, **params) -> list[int]:
    body = search(api, q, **params)
    assert body["code"] == 0, body
    return [item["id"] for item in body["data"]["items"]]
