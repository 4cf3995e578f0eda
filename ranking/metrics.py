from prometheus_client import Counter, Gauge, Histogram

HOT_JOB_SECONDS = Histogram(
    "tinybook_hot_list_job_seconds",
    "Duration of hot-list computations (runs that held the lock)",
    ["outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120),
)
# success / skipped_locked / skipped_busy / abandoned / yielded / failed
HOT_JOB_RUNS = Counter("tinybook_hot_list_job_runs", "Hot-list job runs by outcome", ["outcome"])
HOT_JOB_LAST_SUCCESS = Gauge(
    "tinybook_hot_list_last_success_timestamp_seconds",
    "When the hot list was last computed and stored",
    multiprocess_mode="max",
)
