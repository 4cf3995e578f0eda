import pytest

from articles import services as articles
from articles.tests.conftest import author  # noqa: F401 - a fixture: the author "ann"
from conftest import login_client
from users.tests.factories import UserFactory


@pytest.fixture
def reader(db):
    return UserFactory.create(nickname="bob")


@pytest.fixture
def article(author) -> int:  # noqa: F811 - the imported fixture, by name
    return articles.article_publish(author_id=author.id, title="Tea at dawn", content="<p>The kettle sings.</p>")


@pytest.fixture
def reader_api(reader):
    return login_client(reader)
