"""Real processes against the real database: Celery workers sweeping, a worker killed mid-send.

These need a database server that several processes share (MariaDB/MySQL, the services
profile); the embedded profile's in-memory test database and per-process fakeredis
cannot be shared, so there they are skipped.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from sms import queue
from sms.models import AsyncSms
from tinybook.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "mysql", reason="needs a database server shared by processes"),
]


def _worker_env(**sms):
    db = django_settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env["DATABASE_URL"] = f"mysql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 3306}/{db['NAME']}"
    env.update(
        LOG_LEVEL="WARNING",
        SMS_TENCENT_SECRET_ID="fake-id", SMS_TENCENT_SECRET_KEY="fake-key", SMS_TENCENT_APP_ID="1400000000",
        SMS_ALIYUN_ACCESS_KEY_ID="fake-id", SMS_ALIYUN_ACCESS_KEY_SECRET="fake-secret",
    )
    env.update({k: str(v) for k, v in sms.items()})
    return env


class Workers:
    """Celery workers on a queue of their own, started and killed by this test only."""

    def __init__(self):
        self.queue = f"sms-test-{uuid.uuid4().hex[:8]}"
        self.procs = []

    def start(self, name, env):
        """A worker consuming the queue ``<self.queue>-<name>`` only."""
        cmd = [sys.executable, "-m", "celery", "-A", "tinybook", "worker", "-P", "solo", "-Q", f"{self.queue}-{name}",
               "-n", f"{name}-{self.queue}@%h", "--without-gossip", "--without-mingle", "-l", "WARNING"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.procs.append(proc)
        return proc

    def wait_ready(self, count, timeout=30):
        # Ready means consuming its queue: a message routed before the worker has bound
        # its queue to the exchange would be dropped.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = celery_app.control.inspect(timeout=0.5).active_queues() or {}
            consuming = {
                worker for worker, queues in active.items()
                if self.queue in worker and any(q["name"].startswith(self.queue) for q in queues)
            }
            if len(consuming) >= count:
                return
            for p in self.procs:
                if p.poll() is not None:
                    pytest.fail(p.stderr.read().decode())
        pytest.fail("celery workers did not start")

    def send(self, task, name):
        task.apply_async(queue=f"{self.queue}-{name}")

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


@pytest.fixture
def workers():
    w = Workers()
    yield w
    w.stop()


def _due_rows(n):
    # Test data straight into the table: 1,000 sends through sms_send would each also
    # schedule a delivery task, which is not what this test is about.
    now = timezone.now()
    AsyncSms.objects.bulk_create(
        AsyncSms(tpl_id="login_code", args=[f"{i:06d}"], numbers=[f"+86138{i:08d}"], max_attempts=5,
                 next_attempt_at=now)
        for i in range(n)
    )


def test_two_celery_workers_sweep_1000_rows_each_sent_exactly_once(transactional_db, workers,
                                                                 fake_tencent, fake_aliyun):
    _due_rows(1000)
    common = dict(SMS_ASYNC_SWEEP_BATCH=50, SMS_HEALTH_MIN_SAMPLES=100000,
                  SMS_TENCENT_ENDPOINT=f"http://{fake_tencent.endpoint}",
                  SMS_ALIYUN_ENDPOINT=f"http://{fake_aliyun.endpoint}")
    # Each worker sends through its own provider, so the fakes show that both took part.
    workers.start("a", _worker_env(SMS_PROVIDERS="tencent", **common))
    workers.start("b", _worker_env(SMS_PROVIDERS="aliyun", **common))
    workers.wait_ready(2)
    from sms.tasks import sms_sweep

    # One sweep task per worker (a queue each). The providers answer slowly until both
    # workers are sending, so neither can finish the table before the other has started.
    fake_tencent.mode = fake_aliyun.mode = "slow"
    fake_tencent.delay = fake_aliyun.delay = 0.05
    workers.send(sms_sweep, "a")
    workers.send(sms_sweep, "b")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (fake_tencent.requests and fake_aliyun.requests):
        time.sleep(0.02)
    fake_tencent.mode = fake_aliyun.mode = "ok"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and AsyncSms.objects.exclude(status=AsyncSms.Status.SENT).exists():
        time.sleep(0.2)
    sent = fake_tencent.sent_numbers() + ["+" + n for n in fake_aliyun.sent_numbers()]
    assert len(sent) == 1000
    assert len(set(sent)) == 1000
    assert AsyncSms.objects.filter(status=AsyncSms.Status.SENT, attempts=1).count() == 1000
    assert fake_tencent.received and fake_aliyun.received  # both workers swept


def test_worker_killed_mid_send_leaves_its_row_to_be_reclaimed_after_the_lease(
    transactional_db, workers, settings, fake_tencent
):
    lease = 2
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_ASYNC_LEASE = lease
    _due_rows(1)
    fake_tencent.mode = "hang"
    proc = workers.start("victim", _worker_env(
        SMS_PROVIDERS="tencent", SMS_ASYNC_LEASE=lease, SMS_PROVIDER_TIMEOUT=30,
        SMS_TENCENT_ENDPOINT=f"http://{fake_tencent.endpoint}",
    ))
    workers.wait_ready(1)
    from sms.tasks import sms_sweep

    workers.send(sms_sweep, "victim")
    deadline = time.monotonic() + 20
    while fake_tencent.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake_tencent.requests == 1  # the worker is inside the provider call
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    killed_at = time.monotonic()
    row = AsyncSms.objects.get()
    assert (row.status, row.attempts) == (AsyncSms.Status.SENDING, 1)

    fake_tencent.mode = "ok"
    assert queue.async_sweep() == 0  # still leased to the dead worker
    time.sleep(max(0.0, lease + 0.1 - (time.monotonic() - killed_at)))
    assert queue.async_sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider) == (AsyncSms.Status.SENT, 2, "tencent")
    assert len(fake_tencent.received) == 1
