"""SQLite FTS5 (the embedded profile).

The indexed columns hold ``search.text.bigram_form`` of the text (CJK runs as bigrams), read by
FTS5's unicode61 tokenizer (case folded, diacritics removed). A query is a MATCH expression of
double-quoted phrases (``search.text.sqlite_match``), passed as a parameter. Order: documents
whose title holds every term, then bm25 with the title weighing SEARCH_TITLE_WEIGHT and the
author SEARCH_AUTHOR_WEIGHT against the body's 1, then newest.
"""

from django.conf import settings
from django.db import connection

from search import text
from search.backends import Doc
from search.backends.sql import TABLES, SQLBackend


class SQLiteBackend(SQLBackend):
    key = "rowid"

    def upsert(self, kind: str, docs: list[Doc]) -> None:
        if not docs:
            return
        self.delete(kind, [d.id for d in docs])
        rows = [
            (d.id, text.bigram_form(d.title), text.bigram_form(d.body), text.bigram_form(d.author), d.id,
             self.version_key(d.ts), self.version_key(d.version))
            for d in docs
        ]
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {TABLES[kind]} (rowid, title, body, author, id, ts, version) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                rows,
            )

    def search(self, kind: str, terms: list[str], offset: int, limit: int) -> tuple[int, list[int]]:
        table = TABLES[kind]
        match, in_title = text.sqlite_match(terms), text.sqlite_match(terms, "title")
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s", [match])
            total = cur.fetchone()[0]
            if not total or offset >= total:
                return total, []
            cur.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s "
                f"ORDER BY rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s) DESC, "
                f"bm25({table}, %s, 1.0, %s), ts DESC, rowid DESC LIMIT %s OFFSET %s",
                [match, in_title, settings.SEARCH_TITLE_WEIGHT, settings.SEARCH_AUTHOR_WEIGHT, limit, offset],
            )
            return total, [r[0] for r in cur.fetchall()]
