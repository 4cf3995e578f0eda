"""The hot list as a reader sees it: ordering, exclusion, withdrawal, cold start, Redis down."""

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from articles import services as articles
from ranking import copies, services
from ranking.tests.conftest import REDIS_DOWN

pytestmark = pytest.mark.django_db


def _hot(api):
    resp = api.get("/ranking/hot")
    assert resp.status_code == 200
    body = resp.json()
    assert body["code"] == 0
    return body["data"]


def _runs(outcome):
    return REGISTRY.get_sample_value("tinybook_hot_list_job_runs_total", {"outcome": outcome}) or 0


def _hours_since_publish(article_id, at):
    from articles.models import LiveArticle

    return (at - LiveArticle.objects.get(pk=article_id).published_at).total_seconds() / 3600


def test_articles_are_ordered_by_hot_score(api, publish):
    fresh = publish("fresh, few likes", hours_ago=1, likes=3)  # about 2 / 3**1.5  = 0.385
    older = publish("older, more likes", hours_ago=22, likes=9)  # about 8 / 24**1.5 = 0.068
    newest = publish("brand new, one like", likes=1)  # 0
    before = timezone.now()
    assert services.hot_list_refresh() == "success"
    after = timezone.now()

    items = _hot(api)
    assert [i["id"] for i in items] == [fresh, older, newest]
    # The job's "now" lies between before and after; the score must match the formula there.
    for item, likes in ((items[0], 3), (items[1], 9)):
        low = (likes - 1) / (_hours_since_publish(item["id"], after) + 2) ** 1.5
        high = (likes - 1) / (_hours_since_publish(item["id"], before) + 2) ** 1.5
        assert low <= item["score"] <= high
    assert items[2]["score"] == 0


def test_item_carries_abstract_counts_and_author_but_no_content(api, publish, author):
    article_id = publish("Shape", likes=2)
    services.hot_list_refresh()

    (item,) = _hot(api)
    assert set(item) == {"id", "title", "abstract", "author", "authorId", "authorName", "likeCnt",
                         "readCnt", "collectCnt", "score", "utime"}
    assert item["id"] == article_id
    assert item["abstract"] == "Shape text"
    assert item["author"] == {"id": author.id, "name": author.display_name}
    assert (item["authorId"], item["authorName"]) == (author.id, author.display_name)
    assert (item["likeCnt"], item["readCnt"], item["collectCnt"]) == (2, 0, 0)


def test_articles_outside_the_window_are_left_out(api, publish, settings):
    settings.HOT_WINDOW_DAYS = 7
    inside = publish("six days old", hours_ago=6 * 24, likes=5)
    publish("eight days old", hours_ago=8 * 24, likes=50)
    services.hot_list_refresh()

    assert [i["id"] for i in _hot(api)] == [inside]


def test_article_without_a_counter_row_counts_as_zero_likes(api, publish):
    one_like = publish("one like", hours_ago=5, likes=1)  # score 0
    untouched = publish("never liked", hours_ago=5)  # no counter row: -1 / 7**1.5
    before = timezone.now()
    services.hot_list_refresh()
    after = timezone.now()

    items = _hot(api)
    assert [i["id"] for i in items] == [one_like, untouched]
    assert items[1]["likeCnt"] == 0
    # likes - 1 = -1: the score grows (towards 0) as hours pass
    low = -1 / (_hours_since_publish(untouched, before) + 2) ** 1.5
    high = -1 / (_hours_since_publish(untouched, after) + 2) ** 1.5
    assert low <= items[1]["score"] <= high


def test_equal_scores_put_the_newer_article_first(api, publish):
    first = publish("first", likes=1)
    second = publish("second", likes=1)  # both score exactly 0
    services.hot_list_refresh()

    assert [i["id"] for i in _hot(api)] == [second, first]


def test_only_the_top_n_are_kept_across_batches(api, publish, settings):
    settings.HOT_LIST_SIZE = 3
    settings.HOT_BATCH_SIZE = 2
    ids = [publish(f"a{n}", hours_ago=1, likes=n) for n in range(6)]
    services.hot_list_refresh()

    assert [i["id"] for i in _hot(api)] == [ids[5], ids[4], ids[3]]


def test_withdrawn_article_never_appears(api, publish, author):
    kept = publish("kept", likes=1)
    gone = publish("gone", likes=5)
    articles.article_withdraw(author_id=author.id, article_id=gone)
    services.hot_list_refresh()

    assert [i["id"] for i in _hot(api)] == [kept]


def test_withdrawal_leaves_the_served_list_at_once(api, publish, author, django_capture_on_commit_callbacks):
    kept = publish("kept", likes=1)
    gone = publish("gone", likes=5)
    services.hot_list_refresh()
    assert [i["id"] for i in _hot(api)] == [gone, kept]  # now in this process's copy too

    with django_capture_on_commit_callbacks(execute=True):
        articles.article_withdraw(author_id=author.id, article_id=gone)

    assert [i["id"] for i in _hot(api)] == [kept]


def test_withdrawal_reaches_a_copy_held_by_another_process(api, publish, author, django_capture_on_commit_callbacks):
    """Another process's copy is in its own memory; the generation bump is what it sees."""
    kept = publish("kept", likes=1)
    gone = publish("gone", likes=5)
    services.hot_list_refresh()
    assert [i["id"] for i in _hot(api)] == [gone, kept]
    other_process_copy = copies._copy

    with django_capture_on_commit_callbacks(execute=True):
        articles.article_withdraw(author_id=author.id, article_id=gone)
    # Put the old copy back as if this process had never seen the withdrawal.
    copies._copy = other_process_copy

    assert [i["id"] for i in _hot(api)] == [kept]


def test_cold_start_computes_once_then_serves_the_stored_list(api, publish):
    article_id = publish("first", likes=2)
    before = _runs("success")

    assert [i["id"] for i in _hot(api)] == [article_id]
    assert [i["id"] for i in _hot(api)] == [article_id]
    copies.forget()
    assert [i["id"] for i in _hot(api)] == [article_id]
    assert _runs("success") - before == 1


def test_cold_start_while_another_worker_computes_answers_empty_after_the_wait(api, publish, settings):
    from ranking.lock import HeldLock
    from tinybook import kv

    settings.HOT_COLD_START_WAIT = 0.2
    publish("first", likes=2)
    other = HeldLock(key=kv.hot_lock_key(), ttl=30, deadline=float("inf"))
    assert other.acquire()

    assert _hot(api) == []
    other.release()
    assert len(_hot(api)) == 1  # nothing was remembered: the next request computes


def test_redis_down_serves_the_last_in_process_copy(api, publish, settings):
    article_id = publish("survivor", likes=3)
    services.hot_list_refresh()
    assert [i["id"] for i in _hot(api)] == [article_id]

    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}
    copies.forget()  # even after the short-lived copy expired

    assert [i["id"] for i in _hot(api)] == [article_id]


def test_redis_down_on_a_fresh_process_answers_an_empty_list(api, publish, settings):
    publish("unseen", likes=3)
    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}

    assert _hot(api) == []


def test_home_page_shows_the_hot_list(client, publish):
    publish("Home hot title", likes=2)
    services.hot_list_refresh()

    resp = client.get("/")
    assert resp.status_code == 200
    (item,) = resp.context["hot"]
    assert (item["title"], item["author_name"], item["like_cnt"]) == ("Home hot title", "ann", 2)


def test_withdrawal_with_redis_down_still_succeeds(api, publish, author, settings, django_capture_on_commit_callbacks):
    gone = publish("gone", likes=1)
    settings.CACHES = {**settings.CACHES, "default": REDIS_DOWN}

    with django_capture_on_commit_callbacks(execute=True):
        articles.article_withdraw(author_id=author.id, article_id=gone)

    from articles.selectors import article_is_live

    assert not article_is_live(article_id=gone)  # the hot-list removal failing did not undo it


def test_the_served_answer_speaks_the_readers_language(api, publish):
    """The answer is encoded once per copy and message: a reader in another language gets their own."""
    first = publish("hot in two languages", likes=2)
    assert services.hot_list_refresh() == "success"
    english = api.get("/ranking/hot", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api.get("/ranking/hot", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert (english["code"], english["msg"]) == (0, "ok")
    assert (chinese["code"], chinese["msg"]) == (0, "成功")
    assert english["data"] == chinese["data"] and english["data"][0]["id"] == first
    again = api.get("/ranking/hot", HTTP_ACCEPT_LANGUAGE="en").json()
    assert again == english
