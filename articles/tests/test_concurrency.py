"""Publish and withdraw racing on one article (services profile: real row locks).

Neither may fail (an early version deadlocked: withdraw locked through the author index,
publish through the primary key), and afterwards the reader cache must agree with the
database.
"""


import pytest
from django.db import connection

from articles import selectors, services
from articles.models import ArticleStatus, LiveArticle
from tinybook.exceptions import NotFoundError
from tinybook.tests.concurrency import run_at_once

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]




@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks; MariaDB runs this")
def test_racing_publish_and_withdraw_leave_cache_and_database_in_agreement(author):
    article_id = services.article_publish(author_id=author.id, title="t", content="c")
    for n in range(15):
        errors = run_at_once([
            lambda n=n: services.article_publish(
                author_id=author.id, article_id=article_id, title=f"t{n}", content="c"
            ),
            lambda: services.article_withdraw(author_id=author.id, article_id=article_id),
        ])
        assert errors == []
        live = LiveArticle.objects.get(pk=article_id)
        if live.status == ArticleStatus.PUBLISHED:
            assert selectors.article_live_get(article_id=article_id).title == live.title
        else:
            with pytest.raises(NotFoundError):
                selectors.article_live_get(article_id=article_id)
