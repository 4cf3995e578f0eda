"""MariaDB with the Mroonga storage engine (the services profile).

Mroonga's default tokenizer, TokenBigram, indexes CJK text in bigrams and other text in words,
normalized by the column's collation (utf8mb4_unicode_ci: case- and width-insensitive). Two
full-text indexes per table: the title alone (for "title above body") and title, body and
author together (what must match). A query is a boolean-mode string of required phrases
(``search.text.mroonga_match``), passed as a parameter. docs/search.md says why Mroonga and
not jieba with InnoDB FULLTEXT (measured).

Mroonga tables are not transactional: rows are written after the article's own transaction
committed (the receivers run on commit), and ``search_check`` finds what a crash left behind.
"""

from django.db import connection

from search import text
from search.backends import Doc
from search.backends.sql import TABLES, SQLBackend


class MroongaBackend(SQLBackend):
    key = "id"

    def upsert(self, kind: str, docs: list[Doc]) -> None:
        if not docs:
            return
        rows = [(d.id, d.title, d.body, d.author, self.version_key(d.ts), self.version_key(d.version)) for d in docs]
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {TABLES[kind]} (id, title, body, author, ts, version) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON DUPLICATE KEY UPDATE title = VALUES(title), body = VALUES(body), author = VALUES(author), "
                "ts = VALUES(ts), version = VALUES(version)",
                rows,
            )

    def search(self, kind: str, terms: list[str], offset: int, limit: int) -> tuple[int, list[int]]:
        table, query = TABLES[kind], text.mroonga_match(terms)
        where = "MATCH(title, body, author) AGAINST(%s IN BOOLEAN MODE)"
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", [query])
            total = cur.fetchone()[0]
            if not total or offset >= total:
                return total, []
            cur.execute(
                f"SELECT id FROM {table} WHERE {where} "
                "ORDER BY MATCH(title) AGAINST(%s IN BOOLEAN MODE) > 0 DESC, "
                f"{where} DESC, ts DESC, id DESC LIMIT %s OFFSET %s",
                [query, query, query, limit, offset],
            )
            return total, [r[0] for r in cur.fetchall()]
