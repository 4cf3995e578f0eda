from django.conf import settings

from ranking import services
from tinybook.celery import app as celery_app


# No retries: the next beat tick is the retry, and the lock makes overlapping runs harmless.
@celery_app.task(acks_late=True, ignore_result=True,
                 soft_time_limit=settings.HOT_JOB_TIMEOUT + settings.HOT_LOCK_TTL,
                 time_limit=settings.HOT_JOB_TIMEOUT + 2 * settings.HOT_LOCK_TTL)
def hot_list_refresh():
    return services.hot_list_refresh(trigger="beat")


@celery_app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(settings.HOT_REFRESH_INTERVAL, hot_list_refresh.s(), name="ranking.hot_list_refresh",
                             # a tick nobody picked up within an interval is superseded by the next one
                             expires=settings.HOT_REFRESH_INTERVAL)
