import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")

app = Celery("tinybook")
# Every CELERY_* Django setting configures the app (CELERY_BROKER_URL, time limits, …).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
