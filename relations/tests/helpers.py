from articles import services as articles
from relations import services
from users.tests.factories import UserFactory


def publish(author, title="A title", content="<p>Some text</p>") -> int:
    return articles.article_publish(author_id=author.id, title=title, content=content)


def follow(follower, followee, on=True) -> bool:
    return services.follow_set(follower_id=follower.id, followee_id=followee.id, follow=on)


def users(n):
    return UserFactory.create_batch(n)
