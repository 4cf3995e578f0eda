import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")

app = Celery("tinybook")
# Every CELERY_* Django setting configures the app (CELERY_BROKER_URL, time limits, …).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Tracing (docs/tracing.md), if OTEL_TRACES_EXPORTER asks for it: in each pool process after the
# fork (prefork), else in the worker itself; and in beat, which publishes tasks.
@signals.worker_process_init.connect(weak=False)
def _trace_pool_process(**kwargs):
    from tinybook.tracing import setup

    setup()


@signals.worker_init.connect(weak=False)
def _trace_worker(sender=None, **kwargs):
    pool = getattr(sender, "pool_cls", None)
    if "prefork" not in str(getattr(pool, "__module__", pool)):
        from tinybook.tracing import setup

        setup()


@signals.beat_init.connect(weak=False)
def _trace_beat(**kwargs):
    from tinybook.tracing import setup

    setup()
