"""Read-event consumer throughput, run inside the bench's services environment.

``python scripts/bench/consumer.py EVENTS_JSON``: EVENTS_JSON is a list of article ids, one per
read event. The events are appended to the read stream first (pipelined, as fast as Redis
takes them); then the consumer's own loop (``ReadConsumer.step``: lease, read a batch, one
transaction, acknowledge) runs until every event is applied, and only that part is timed.
Exactness: the read counters must have grown by exactly the number of events per article.
Prints one JSON object.
"""

import collections
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from interactions.consumer import ReadConsumer  # noqa: E402
from interactions.models import BIZ_ARTICLE, Counter  # noqa: E402
from tinybook import kv  # noqa: E402


def reads_of(ids):
    found = dict(Counter.objects.filter(biz=BIZ_ARTICLE, biz_id__in=ids).values_list("biz_id", "read_cnt"))
    return {i: found.get(i, 0) for i in ids}


def main(events_file):
    events = json.loads(Path(events_file).read_text())
    expected = collections.Counter(events)
    conn = kv.client()
    conn.flushdb()  # this db belongs to the benchmark (run.py gives it its own number)
    before = reads_of(list(expected))

    # A stream (and so a cursor row) of its own: the site's consume_events, running beside the
    # benchmark on the same database, must not fence this consumer off, nor the other way round.
    stream = kv.key("stream", "reads-bench")
    consumer = ReadConsumer(name="bench", stream=stream)
    consumer.ensure_group()
    for start in range(0, len(events), 5000):
        pipe = conn.pipeline(transaction=False)
        for article_id in events[start : start + 5000]:
            pipe.xadd(stream, {"biz": BIZ_ARTICLE, "id": str(article_id)})
        pipe.execute()

    counted = 0
    started = time.perf_counter()
    while counted < len(events):
        counted += consumer.step()
    seconds = time.perf_counter() - started
    consumer.release()

    after = reads_of(list(expected))
    exact = all(after[i] - before[i] == n for i, n in expected.items()) and counted == len(events)
    pending = conn.xpending(stream, "counters")["pending"]
    print(json.dumps({
        "events": len(events), "seconds": seconds, "events_per_s": len(events) / seconds,
        "batch_size": settings.READ_EVENTS_BATCH_SIZE, "exact": exact and pending == 0, "pending": pending,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
