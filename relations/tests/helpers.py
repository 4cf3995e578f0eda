from articles import services as articles
from relations import services
from users.tests.factories import UserFactory


def person(**kwargs):
    """A user without a password (hashing one costs a quarter of a second; nobody logs in here
    with a password: ``login_client`` starts a session directly)."""
    return UserFactory.create(password=None, **kwargs)


def people(n: int, **kwargs) -> list:
    return [person(**kwargs) for _ in range(n)]


def publish(author, title="A title", content="<p>Some text</p>") -> int:
    return articles.article_publish(author_id=author.id, title=title, content=content)


def follow(follower, followee, on=True) -> bool:
    return services.follow_set(follower_id=follower.id, followee_id=followee.id, follow=on)
