import pytest

from articles import services as articles
from conftest import login_client
from payments.tests.fixtures import (  # noqa: F401 - fixtures for this package's tests
    apiv3_key,
    dev,
    eager_relay,
    fake,
    merchant,
    no_fake_left_running,
    platform,
    wechat,
)
from users.tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory.create(nickname="ann")


@pytest.fixture
def reader(db):
    return UserFactory.create(nickname="bob")


@pytest.fixture
def article(author) -> int:
    return articles.article_publish(author_id=author.id, title="Tea at dawn", content="<p>The kettle sings.</p>")


@pytest.fixture
def reader_api(reader):
    return login_client(reader)
