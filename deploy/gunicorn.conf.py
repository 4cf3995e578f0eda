"""gunicorn settings for TinyBook (``gunicorn -c deploy/gunicorn.conf.py tinybook.wsgi:application``).

Prometheus metrics are correct across workers in multiprocess mode: every worker
writes its samples under PROMETHEUS_MULTIPROC_DIR and /metrics merges them.
"""

import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # seconds before a stuck worker is replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
accesslog = None  # our middleware writes the access log

_multiproc_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "tinybook-prometheus")
)


def on_starting(server):
    # Samples from a previous run would be merged into this one's: start empty.
    shutil.rmtree(_multiproc_dir, ignore_errors=True)
    os.makedirs(_multiproc_dir, exist_ok=True)


def post_fork(server, worker):
    # Tracing (docs/tracing.md), if OTEL_TRACES_EXPORTER asks for it: in each worker after the
    # fork, so its exporter thread and connections are the worker's own.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
    from tinybook import tracing

    tracing.setup()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
