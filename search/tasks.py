from django.conf import settings

from search import services
from tinybook.celery import app as celery_app


@celery_app.task(acks_late=True, ignore_result=True)
def index_repair():
    """``search_check --fix`` for both kinds: what a failed index write left behind is repaired."""
    for kind in services.KINDS:
        services.check(kind, fix=True, limit=0)


@celery_app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(settings.SEARCH_REPAIR_INTERVAL, index_repair.s(), name="search.index_repair",
                             expires=settings.SEARCH_REPAIR_INTERVAL)
