from articles import services as articles
from users.tests.factories import UserFactory


def published_article(author=None, title="A title", content="<p>Some text</p>") -> int:
    author = author or UserFactory.create()
    return articles.article_publish(author_id=author.id, title=title, content=content)


def consumer_caught_up() -> int:
    """A real consumer (what ``consume_events`` runs) takes rounds until one finds nothing: the
    read counts and the like counters have followed. Returns what it applied."""
    from django.test import override_settings

    from interactions.consumer import ReadConsumer

    with override_settings(READ_EVENTS_BATCH_WAIT_MS=20):
        consumer = ReadConsumer(name="test-consumer")
        consumer.ensure_group()
        total = 0
        try:
            while counted := consumer.step():
                total += counted
        finally:
            consumer.release()
    return total
