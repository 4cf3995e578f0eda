"""What relations does when an article is published (wired in ``RelationsConfig.ready``).

The signal comes after the publish committed; the fan-out is queued for Celery (on commit,
robust: a broker that is away never fails a publish). An author nobody follows, or one above
``FEED_PUSH_MAX_FOLLOWERS`` (pulled at read), costs the publish one primary-key read and no task.
A withdrawn article needs nothing here: the feed filters it at read.
"""

from django.db import transaction
from django.dispatch import receiver

from articles.signals import article_published
from relations import feed, tasks


@receiver(article_published, dispatch_uid="relations.feed-fanout")
def schedule_fanout(sender, *, article_id, author_id, **kwargs):
    if author_id is None or not feed.push_wanted(author_id):
        return
    transaction.on_commit(lambda: tasks.feed_fanout.delay(article_id, author_id), robust=True)
