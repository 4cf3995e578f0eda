from django.db import transaction

from ranking import services


def on_article_withdrawn(sender, *, article_id, **kwargs):
    # After commit: a run storing concurrently must be able to see the withdrawal.
    transaction.on_commit(lambda: services.hot_list_remove(article_id=article_id))
