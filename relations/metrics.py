"""Follow and feed metrics, recorded where they happen."""

from prometheus_client import Counter

FOLLOWS = Counter("tinybook_follows_total", "Follow state changes (follow, unfollow)", ["action"])
FEED_FANOUT_TASKS = Counter("tinybook_feed_fanout_tasks_total",
                            "Fan-out tasks by outcome (pushed, pull: author above the threshold, gone: not live)",
                            ["outcome"])
FEED_FANOUT_BATCHES = Counter("tinybook_feed_fanout_batches_total", "Batches of inboxes written by fan-out tasks")
FEED_FANOUT_PUSHES = Counter("tinybook_feed_fanout_pushes_total", "Inboxes an article was pushed into")
FEED_INBOX_REBUILDS = Counter("tinybook_feed_inbox_rebuilds_total",
                              "Feed inboxes rebuilt from the database (lost, evicted or expired)")
FEED_READS = Counter("tinybook_feed_reads_total", "Feed pages read, by whether authors were pulled", ["pull"])
