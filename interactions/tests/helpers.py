from articles import services as articles
from users.tests.factories import UserFactory


def published_article(author=None, title="A title", content="<p>Some text</p>") -> int:
    author = author or UserFactory.create()
    return articles.article_publish(author_id=author.id, title=title, content=content)
