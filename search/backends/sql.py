"""What the two SQL backends share: one table per kind, rows written and read with plain SQL.

Tables (created by migration 0001, vendor by vendor): ``search_article`` and ``search_user``,
columns ``title``, ``body``, ``author`` (indexed), ``id``, ``ts``, ``version`` (stored).
"""

from django.db import connection

from search.backends import Backend, Doc

TABLES = {"article": "search_article", "user": "search_user"}


class SQLBackend(Backend):
    key = "id"  # the column holding the document id

    def row(self, doc: Doc) -> tuple:
        raise NotImplementedError

    def delete(self, kind: str, ids: list[int]) -> None:
        if not ids:
            return
        marks = ",".join(["%s"] * len(ids))
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {TABLES[kind]} WHERE {self.key} IN ({marks})", list(ids))

    def versions(self, kind: str, *, after_id: int, batch_size: int) -> list[tuple[int, str]]:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT {self.key}, version FROM {TABLES[kind]} WHERE {self.key} > %s ORDER BY {self.key} LIMIT %s",
                [after_id, batch_size],
            )
            return [(int(i), str(v)) for i, v in cur.fetchall()]

    def clear(self, kind: str) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {TABLES[kind]}")
