"""Celery shells around the users services."""

from django.conf import settings

from tinybook.celery import app as celery_app
from users import services


@celery_app.task(acks_late=True)
def sessions_purge():
    return services.sessions_purge()


@celery_app.on_after_finalize.connect
def _schedule_purge(sender, **kwargs):
    sender.add_periodic_task(settings.AUTH_SESSION_PURGE_INTERVAL, sessions_purge.s(),
                             name="users: delete expired login sessions")
