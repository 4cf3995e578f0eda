"""MariaDB with the Mroonga storage engine (the services profile).

Mroonga's default tokenizer, TokenBigram, indexes CJK text in bigrams and other text in words,
normalized by the column's collation (utf8mb4_unicode_ci: case- and width-insensitive). Two
full-text indexes per table: title, body and author as sections of one index (what must match,
and the order: a title section weighing 1000, the author 50, the body 1), and the same text as
one column (`doc`), which Mroonga counts from the index alone. A query is a boolean-mode string
of required phrases (``search.text.mroonga_match``), passed as a parameter. docs/search.md says why Mroonga and
not jieba with InnoDB FULLTEXT (measured).

Mroonga tables are not transactional: rows are written after the article's own transaction
committed (the receivers run on commit), and ``search_check`` finds what a crash left behind.
"""

from django.db import connection

from search import text
from search.backends import Doc
from search.backends.sql import TABLES, SQLBackend

# Score weights of the `all` index's sections (title, body, author), Groonga's *W pragma: a title
# holding a term outweighs any number of body occurrences (up to 1000), so title matches come first.
_WEIGHTS = "*W1:1000,2:1,3:50 "


class MroongaBackend(SQLBackend):
    key = "id"

    def upsert(self, kind: str, docs: list[Doc]) -> None:
        if not docs:
            return
        rows = [(d.id, d.title, d.body, d.author, f"{d.title}\n{d.author}\n{d.body}", self.version_key(d.ts),
                 self.version_key(d.version)) for d in docs]
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {TABLES[kind]} (id, title, body, author, doc, ts, version) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) "
                "ON DUPLICATE KEY UPDATE title = VALUES(title), body = VALUES(body), author = VALUES(author), "
                "doc = VALUES(doc), ts = VALUES(ts), version = VALUES(version)",
                rows,
            )

    def search(self, kind: str, terms: list[str], offset: int, limit: int) -> tuple[int, list[int]]:
        table, query = TABLES[kind], text.mroonga_match(terms)
        ranked = _WEIGHTS + query  # the pragma is ours; the user's words are quoted phrases after it
        match = "MATCH(title, body, author) AGAINST(%s IN BOOLEAN MODE)"
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table} WHERE MATCH(doc) AGAINST(%s IN BOOLEAN MODE)", [query])
            total = cur.fetchone()[0]
            if not total or offset >= total:
                return total, []
            cur.execute(
                f"SELECT id FROM {table} WHERE {match} ORDER BY {match} DESC, ts DESC, id DESC LIMIT %s OFFSET %s",
                [ranked, ranked, limit, offset],
            )
            return total, [r[0] for r in cur.fetchall()]
