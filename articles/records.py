"""What the selectors return: plain, immutable values that survive a JSON round trip.

Views serialize them, caches store them, other apps read them; nobody outside this app
touches the models.
"""

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from users.names import display_name

_TIME_FIELDS = ("ctime", "utime", "published_at")


def _dump(obj) -> dict:
    out = asdict(obj)
    for name in _TIME_FIELDS:
        if isinstance(out.get(name), datetime):
            out[name] = out[name].isoformat()
    return out


def _load(cls, raw: dict):
    kwargs = {}
    for f in fields(cls):
        value = raw[f.name]
        if f.name in _TIME_FIELDS and value is not None:
            value = datetime.fromisoformat(value)
        kwargs[f.name] = value
    return cls(**kwargs)


@dataclass(frozen=True)
class DraftRecord:
    """The author's view of one article. ``content`` is None in list items."""

    id: int
    author_id: int
    title: str
    content: str | None
    abstract: str
    status: int
    ctime: datetime
    utime: datetime

    def to_json(self) -> dict:
        return _dump(self)

    @classmethod
    def from_json(cls, raw: dict) -> "DraftRecord":
        return _load(cls, raw)


@dataclass(frozen=True)
class LiveRecord:
    """A published article as readers see it. ``content`` is None in list items.

    It keeps the author's nickname, not a name: a record is cached and served in every
    language, and an author without a nickname is named in the reader's (``author_name``).
    """

    id: int
    author_id: int
    author_nickname: str
    title: str
    content: str | None
    abstract: str
    ctime: datetime
    utime: datetime
    published_at: datetime

    @property
    def author_name(self) -> str:
        return display_name(self.author_id, self.author_nickname)

    def to_json(self) -> dict:
        return _dump(self)

    @classmethod
    def from_json(cls, raw: dict) -> "LiveRecord":
        return _load(cls, raw)
