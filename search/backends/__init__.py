"""The one seam between search and an engine: ``get_backend()``, chosen by SEARCH_BACKEND.

A backend keeps one index per kind ("article", "user") of documents ``Doc`` and answers
``search(kind, terms, offset, limit) -> (total, ids)`` with ids best first: every term found
(``search.text`` says what a term is), documents whose title holds every term first, then by
the engine's relevance, ties newest (``ts``) first. Backends quote the terms for their engine
themselves. The indexes hold what can be found, not what is shown: items and highlights are
built from the articles and users themselves, and only live ones are answered.

Shipped: ``sqlite`` (FTS5, the embedded profile) and ``mroonga`` (MariaDB with the Mroonga
storage engine, the services profile); ``auto`` picks by the database. docs/search.md shows
how an OpenSearch/Elasticsearch backend would plug in here.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

KINDS = ("article", "user")

_SHIPPED = {
    "sqlite": "search.backends.sqlite.SQLiteBackend",
    "mroonga": "search.backends.mroonga.MroongaBackend",
}


@dataclass(frozen=True)
class Doc:
    """One document: ``title`` (article title / user name), ``body`` (text / about-me),
    ``author`` (the article's author's nickname; "" for users), ``ts`` (publication / sign-up
    time, for ties), ``version`` (the source's update time, for ``search_check``)."""

    id: int
    title: str
    body: str
    author: str
    ts: object
    version: object


class Backend:
    """What every backend does. Ids are the articles' and users' own ids."""

    def upsert(self, kind: str, docs: list[Doc]) -> None:
        raise NotImplementedError

    def delete(self, kind: str, ids: list[int]) -> None:
        raise NotImplementedError

    def search(self, kind: str, terms: list[str], offset: int, limit: int) -> tuple[int, list[int]]:
        raise NotImplementedError

    def versions(self, kind: str, *, after_id: int, batch_size: int) -> list[tuple[int, str]]:
        """``(id, version)`` of indexed documents with id > ``after_id``, by id, at most ``batch_size``;
        versions as ``version_key`` writes them."""
        raise NotImplementedError

    def clear(self, kind: str) -> None:
        raise NotImplementedError

    @staticmethod
    def version_key(value) -> str:
        """A source update time as the index stores it, comparable as a string."""
        return connection.ops.adapt_datetimefield_value(value)


def backend_name() -> str:
    name = settings.SEARCH_BACKEND
    if name == "auto":
        return "mroonga" if connection.vendor == "mysql" else "sqlite"
    return name


@cache
def _load(name: str) -> Backend:
    return import_string(_SHIPPED.get(name, name))()


def get_backend() -> Backend:
    return _load(backend_name())
