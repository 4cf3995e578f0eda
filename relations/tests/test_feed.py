"""The "Following" feed: push to small authors' followers at publish, pull big authors at read,
the inbox a cache rebuilt from the database, cursor pages that never repeat or skip."""

import pytest
from django.db import transaction
from django.utils import timezone
from prometheus_client import REGISTRY

from articles import services as articles
from articles.models import LiveArticle
from conftest import login_client
from relations import feed
from relations.tests.helpers import follow, people, person, publish
from tinybook import kv

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_celery")]


def _metric(name, labels=None):
    return REGISTRY.get_sample_value(name, labels or {}) or 0


def _inbox(user) -> list[int]:
    """Article ids in the reader's inbox, newest first (markers left out)."""
    members = kv.client().zrevrange(kv.feed_inbox_key(user.id), 0, -1)
    return [int(m) for m in members if m not in (b"built", b"trimmed")]


def _inbox_built(user) -> bool:
    return kv.client().zscore(kv.feed_inbox_key(user.id), "built") is not None


def _feed(client, limit=10, before=None):
    query = f"?limit={limit}" + (f"&before={before}" if before else "")
    body = client.get("/feed" + query).json()
    assert body["code"] == 0, body
    return body["data"]


def _ids(client, limit=100) -> list[int]:
    return [i["id"] for i in _feed(client, limit)["items"]]


def _all_pages(client, limit) -> list[int]:
    seen, before = [], None
    while True:
        data = _feed(client, limit, before)
        seen += [i["id"] for i in data["items"]]
        before = data["next"]
        if before is None:
            return seen


@pytest.fixture
def reader(db):
    return person()


@pytest.fixture
def client(reader):
    return login_client(reader)


def test_feed_items_are_shaped_as_the_public_list(reader, client):
    author = person(nickname="Ann")
    follow(reader, author)
    aid = publish(author, title="Hello")
    data = _feed(client)
    assert data["next"] is None
    public = client.post("/articles/pub/list", {"offset": 0, "limit": 1}, format="json").json()["data"]
    assert data["items"] == public
    assert data["items"][0]["id"] == aid and data["items"][0]["authorName"] == "Ann"


def test_a_reader_following_nobody_gets_an_empty_feed(client):
    publish(person())
    assert _feed(client) == {"items": [], "next": None}


def test_feed_needs_login(api):
    assert api.get("/feed").status_code == 401


@pytest.mark.parametrize("query", ["?limit=0", "?limit=101", "?limit=x", "?before=%%%", "?before=bm90LWEtY3Vyc29y",
                                   "?before=" + "A" * 80, "?before=MTIzLjQ1Ng%3D%3D%3D%3D", "?before=MTIzLmFiYw",
                                   "?before=OTk5OTk5OTk5OTk5OTk5OTk5OS4x"])
def test_bad_limit_or_cursor_is_code_4(client, query):
    answer = client.get("/feed" + query)
    assert answer.status_code == 200 and answer.json()["code"] == 4, query


def test_the_fanout_runs_through_celery_after_the_publish_commits(reader, client):
    author = person()
    follow(reader, author)
    _feed(client)  # the reader's inbox exists (built at the first read)
    assert _inbox(reader) == []
    batches = _metric("tinybook_feed_fanout_batches_total")
    with transaction.atomic():
        aid = publish(author)
        assert _inbox(reader) == []  # nothing pushed before the commit
    assert _inbox(reader) == [aid]
    assert _metric("tinybook_feed_fanout_batches_total") == batches + 1


def test_a_rolled_back_publish_is_never_pushed(reader, client):
    author = person()
    follow(reader, author)
    _feed(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(author)
        raise RuntimeError
    assert _inbox(reader) == []


def test_the_fanout_writes_inboxes_in_batches(settings):
    settings.FEED_FANOUT_BATCH_SIZE = 2
    author = person()
    fans = people(5)
    for fan in fans:
        follow(fan, author)
        feed.inbox_rebuild(fan.id)
    batches = _metric("tinybook_feed_fanout_batches_total")
    pushes = _metric("tinybook_feed_fanout_pushes_total")
    aid = publish(author)
    assert all(_inbox(f) == [aid] for f in fans)
    assert _metric("tinybook_feed_fanout_batches_total") == batches + 3
    assert _metric("tinybook_feed_fanout_pushes_total") == pushes + 5


def test_an_author_nobody_follows_queues_no_task():
    tasks = _metric("tinybook_feed_fanout_tasks_total", {"outcome": "pushed"})
    publish(person())
    assert _metric("tinybook_feed_fanout_tasks_total", {"outcome": "pushed"}) == tasks


def test_at_the_threshold_pushed_above_it_pulled(settings, reader, client):
    settings.FEED_PUSH_MAX_FOLLOWERS = 2
    small, big = people(2)
    others = people(2)
    for author in (small, big):
        follow(reader, author)
    follow(others[0], small)  # small: 2 followers, at the threshold
    for other in others:
        follow(other, big)  # big: 3 followers, above it
    _feed(client)
    pushed = publish(small)
    pulled = publish(big)
    assert _inbox(reader) == [pushed]
    assert _ids(client) == [pulled, pushed]  # the big author's article is pulled at read and merged
    assert _metric("tinybook_feed_reads_total", {"pull": "yes"}) >= 1


def test_inbox_is_trimmed_to_its_size_and_the_feed_still_has_everything(settings, reader, client):
    settings.FEED_INBOX_SIZE = 3
    author = person()
    follow(reader, author)
    _feed(client)
    ids = [publish(author, title=f"t{i}") for i in range(6)]
    assert _inbox(reader) == ids[::-1][:3]
    assert _all_pages(client, 2) == ids[::-1]  # below the inbox, the database answers


def test_a_lost_inbox_is_rebuilt_from_the_database(reader, client):
    authors = people(2)
    for a in authors:
        follow(reader, a)
    ids = [publish(a) for a in authors for _ in range(2)]
    assert _ids(client) == ids[::-1]
    rebuilds = _metric("tinybook_feed_inbox_rebuilds_total")
    kv.client().flushdb()
    assert _ids(client) == ids[::-1]
    assert _inbox(reader) == ids[::-1] and _inbox_built(reader)
    assert _metric("tinybook_feed_inbox_rebuilds_total") == rebuilds + 1


def test_a_missing_inbox_is_not_half_built_by_a_fanout(reader, client):
    author = person()
    follow(reader, author)
    first = publish(author)
    kv.client().delete(kv.feed_inbox_key(reader.id))
    second = publish(author)
    assert not _inbox_built(reader)  # the push skipped the missing inbox …
    assert _ids(client) == [second, first]  # … and the read rebuilt it whole


def test_withdrawn_articles_leave_every_feed_at_once(settings, reader, client):
    settings.FEED_PUSH_MAX_FOLLOWERS = 1
    small, big = people(2)
    follow(reader, small)
    follow(reader, big)
    follow(person(), big)
    _feed(client)
    a, b = publish(small), publish(big)
    assert _ids(client) == [b, a]
    articles.article_withdraw(author_id=small.id, article_id=a)
    articles.article_withdraw(author_id=big.id, article_id=b)
    assert _ids(client) == []
    assert _all_pages(client, 1) == []


def test_republishing_does_not_duplicate(reader, client):
    author = person()
    follow(reader, author)
    _feed(client)
    aid = publish(author)
    other = publish(author)
    articles.article_publish(author_id=author.id, article_id=aid, title="Edited", content="<p>x</p>")
    articles.article_withdraw(author_id=author.id, article_id=aid)
    articles.article_publish(author_id=author.id, article_id=aid, title="Again", content="<p>x</p>")
    assert _ids(client) == [other, aid]  # first publication keeps its place
    assert _inbox(reader) == [other, aid]


def test_a_follow_brings_recent_articles_in_and_an_unfollow_takes_them_out(reader, client):
    kept, dropped = people(2)
    follow(reader, kept)
    mine = publish(kept)
    _feed(client)
    theirs = [publish(dropped) for _ in range(2)]
    assert _ids(client) == [mine]
    client.post("/relations/follow", {"uid": dropped.id, "follow": True}, format="json")
    assert set(_inbox(reader)) == {mine, *theirs}
    assert _ids(client) == [*theirs[::-1], mine]
    client.post("/relations/follow", {"uid": dropped.id, "follow": False}, format="json")
    assert _inbox(reader) == [mine]
    assert _ids(client) == [mine]


def test_an_unfollow_hides_a_pulled_author_too(settings, reader, client):
    settings.FEED_PUSH_MAX_FOLLOWERS = 0
    author = person()
    follow(reader, author)
    aid = publish(author)
    assert _ids(client) == [aid]
    follow(reader, author, on=False)
    assert _ids(client) == []


def test_cursor_pages_never_repeat_or_skip_while_articles_are_published(settings, reader, client):
    settings.FEED_PUSH_MAX_FOLLOWERS = 1
    small, big = people(2)
    follow(reader, small)
    follow(reader, big)
    follow(person(), big)  # big is pulled, small pushed
    ids = [publish(small if i % 3 else big, title=f"t{i}") for i in range(8)]
    # Several articles published in the same instant: the id breaks the tie.
    same = timezone.now() - timezone.timedelta(days=1)
    LiveArticle.objects.filter(pk__in=ids[2:6]).update(published_at=same)
    kv.client().flushdb()  # the inbox scores follow the database
    expected = [*ids[6:][::-1], *ids[:2][::-1], *ids[2:6][::-1]]  # the four a day old: by id
    seen, before = [], None
    while True:
        data = _feed(client, 3, before)
        seen += [i["id"] for i in data["items"]]
        publish(small)  # new articles arrive while the reader pages
        publish(big)
        if data["next"] is None:
            break
        before = data["next"]
    assert seen == expected


def test_feed_rebuild_command(reader, client):
    from django.core.management import call_command

    author = person()
    follow(reader, author)
    aid = publish(author)
    kv.client().flushdb()
    call_command("feed_rebuild", str(reader.id), stdout=open("/dev/null", "w"))
    assert _inbox(reader) == [aid]


def test_without_redis_follows_work_and_the_feed_comes_from_the_database(reader, settings):
    # (The API's token check fails closed without Redis, by design: the services answer here.)
    settings.FEED_PUSH_MAX_FOLLOWERS = 1
    small, big = people(2)
    follow(big, small)
    follow(person(), big)
    a, b = publish(small), publish(big)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        },
    }
    for author in (small, big):
        assert follow(reader, author) is True
    data = feed.feed_items(user_id=reader.id, before=None, limit=10)
    assert [i["id"] for i in data["items"]] == [b, a] and data["next"] is None
