#!/usr/bin/env python
"""The measurement behind docs/search.md's choice of engine: Mroonga against jieba + InnoDB FULLTEXT.

Loads the same 20,004 documents into a Mroonga table and into an InnoDB table fed with jieba's
``cut_for_search`` segmentation (tokens shorter than ``innodb_ft_min_token_size`` prefixed with
"x" so InnoDB keeps them), then runs the spec's queries on both: how many match, whether the
spec's example documents (ids 1-4) are among them, median time of count + first 20 ids.

jieba is not a dependency of TinyBook: install it aside, e.g.
``.venv/bin/pip install --target /tmp/jieba jieba==0.42.1`` and run
``PYTHONPATH=/tmp/jieba .venv/bin/python scripts/bench/search_lab.py``. Needs MariaDB with the
Mroonga plugin (scripts/mroonga.sh) as root on 127.0.0.1; uses and drops the database searchlab.
"""

import random
import statistics
import time

import jieba
import MySQLdb

jieba.setLogLevel(60)
rng = random.Random(7)
EN = [f"w{i}" for i in range(3000)] + ("redis cache caching database index query latency consistency cluster "
                                       "python django kafka mysql server replica shard queue worker memory "
                                       "disk network").split()
ZH = [chr(0x4E00 + i) + chr(0x4E00 + (i * 7) % 5000) for i in range(3000)] + (
    "缓存 一致性 分布式 数据库 索引 查询 延迟 集群 服务器 副本 分片 队列 内存 磁盘 网络 实战 设计 架构 性能 优化 "
    "并发 事务 日志 监控").split()
SPECIAL = [("Redis 实战", "入门 hands-on"), ("Redis 缓存一致性", "如何保证"), ("分布式缓存设计", "设计要点"),
           ("无关标题", "正文没有这个词")]
QUERIES = ["redis", "REDIS", "缓存", "分布式", "一致性", "redis 缓存", "实战", "设计"]


def text(n: int) -> str:
    words = [rng.choice(EN) if rng.random() < 0.4 else rng.choice(ZH) + rng.choice(ZH) for _ in range(n)]
    return "".join(w if "\u4e00" <= w[0] <= "\u9fff" else f" {w} " for w in words)


def segmented(s: str) -> str:
    tokens = [t for t in jieba.cut_for_search(s.lower()) if t.strip()]
    return " ".join("x" + t if len(t) < 3 else t for t in tokens)


def phrase_query(terms, convert) -> str:
    return " ".join('+"' + convert(t).replace("\\", "\\\\").replace('"', '\\"') + '"' for t in terms)


ENGINES = [
    ("mroonga", "ENGINE=Mroonga", lambda s: s),
    ("jieba+innodb", "ENGINE=InnoDB", segmented),
]


def main() -> None:
    docs = SPECIAL + [(f"{rng.choice(ZH)}{rng.choice(ZH)} {rng.choice(EN)}", text(60)) for _ in range(20000)]
    conn = MySQLdb.connect(host="127.0.0.1", user="root", charset="utf8mb4")
    cur = conn.cursor()
    cur.execute("CREATE DATABASE IF NOT EXISTS searchlab CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    cur.execute("USE searchlab")
    try:
        for name, engine, convert in ENGINES:
            cur.execute("DROP TABLE IF EXISTS lab")
            cur.execute("CREATE TABLE lab (id INT PRIMARY KEY, title TEXT, body MEDIUMTEXT, FULLTEXT(title), "
                        f"FULLTEXT(title, body)) {engine} DEFAULT CHARSET=utf8mb4 COLLATE utf8mb4_unicode_ci")
            started = time.perf_counter()
            rows = [(i + 1, convert(t), convert(b)) for i, (t, b) in enumerate(docs)]
            for k in range(0, len(rows), 1000):
                cur.executemany("INSERT INTO lab VALUES (%s, %s, %s)", rows[k : k + 1000])
            conn.commit()
            print(f"== {name}: load {len(rows)} documents {time.perf_counter() - started:.1f} s")
            # Fixed SQL text; the query is always a parameter.
            ranked = ("SELECT id FROM lab WHERE MATCH(title, body) AGAINST(%s IN BOOLEAN MODE) "
                      "ORDER BY MATCH(title) AGAINST(%s IN BOOLEAN MODE) DESC, id DESC LIMIT 20")
            count = "SELECT COUNT(*) FROM lab WHERE MATCH(title, body) AGAINST(%s IN BOOLEAN MODE)"
            examples = "SELECT id FROM lab WHERE MATCH(title, body) AGAINST(%s IN BOOLEAN MODE) AND id <= 4"
            for q in QUERIES:
                bq = phrase_query(q.split(), convert)
                times = []
                for _ in range(7):
                    t0 = time.perf_counter()
                    cur.execute(ranked, (bq, bq))
                    cur.fetchall()
                    cur.execute(count, (bq,))
                    total = cur.fetchone()[0]
                    times.append(time.perf_counter() - t0)
                cur.execute(examples, (bq,))
                special = sorted(r[0] for r in cur.fetchall())
                print(f"  {q!r:14} total={total:6d} examples found={special} "
                      f"p50={statistics.median(times) * 1000:.1f} ms")
    finally:
        cur.execute("DROP DATABASE searchlab")


if __name__ == "__main__":
    main()
