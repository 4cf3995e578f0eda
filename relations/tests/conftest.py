import pytest

from tinybook.celery import app as celery_app


@pytest.fixture
def eager_celery():
    """Run tasks inline (the embedded profile's mode) whatever the profile: the fan-out task
    runs, through Celery, at the publish's commit."""
    # The app reads Django settings under the CELERY_ namespace: set the namespaced key.
    old = celery_app.conf.task_always_eager
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    assert celery_app.conf.task_always_eager
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = old
