"""Profile: bare webook object, validation, cache and its invalidation."""

import datetime

import pytest
from django.utils import timezone

from conftest import login_client
from tinybook import kv
from users.models import User

pytestmark = pytest.mark.django_db


def test_profile_is_the_bare_webook_object(auth_api, user):
    body = auth_api.get("/users/profile").json()
    assert body == {"Email": user.email, "Phone": "", "Nickname": user.nickname, "Birthday": "", "AboutMe": ""}


def test_profile_needs_login(api):
    assert api.get("/users/profile").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer null")
    assert api.get("/users/profile").status_code == 401


def test_edit_changes_fields_and_profile_shows_them_at_once(auth_api):
    auth_api.get("/users/profile")  # warm the cache
    body = auth_api.post(
        "/users/edit", {"nickname": "  Ada  ", "birthday": "1990-02-28", "aboutMe": "hi"}, format="json"
    ).json()
    assert body == {"code": 0, "msg": "saved", "data": None}
    p = auth_api.get("/users/profile").json()
    assert (p["Nickname"], p["Birthday"], p["AboutMe"]) == ("Ada", "1990-02-28", "hi")


def test_omitted_fields_stay_unchanged(auth_api, user):
    auth_api.post("/users/edit", {"nickname": "Ada", "birthday": "1990-01-01", "aboutMe": "x"}, format="json")
    auth_api.post("/users/edit", {"aboutMe": "only this"}, format="json")
    user.refresh_from_db()
    assert (user.nickname, user.birthday, user.about_me) == ("Ada", datetime.date(1990, 1, 1), "only this")


def test_empty_birthday_clears_it(auth_api, user):
    auth_api.post("/users/edit", {"birthday": "1990-01-01"}, format="json")
    auth_api.post("/users/edit", {"birthday": ""}, format="json")
    user.refresh_from_db()
    assert user.birthday is None
    assert auth_api.get("/users/profile").json()["Birthday"] == ""


def _tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"nickname": "   "}, "nickname"),
        ({"nickname": "x" * 21}, "nickname"),
        ({"nickname": 5}, "nickname"),
        ({"birthday": "1990-02-30"}, "birthday"),
        ({"birthday": "1990/01/01"}, "birthday"),
        ({"birthday": "1899-12-31"}, "birthday"),
        ({"birthday": "19900101"}, "birthday"),
        ({"birthday": None}, "birthday"),
        ({"birthday": "tomorrow"}, "birthday"),
        ({"aboutMe": "x" * 201}, "aboutMe"),
        ({"aboutMe": ["x"]}, "aboutMe"),
    ],
)
def test_bad_edits_are_code_4_and_change_nothing(auth_api, user, payload, fragment):
    before = User.objects.filter(pk=user.pk).values().get()
    body = auth_api.post("/users/edit", {"nickname": "Fine", **payload}, format="json").json()
    assert body["code"] == 4 and fragment in body["msg"]
    assert User.objects.filter(pk=user.pk).values().get() == before


def test_future_birthday_is_refused(auth_api):
    assert auth_api.post("/users/edit", {"birthday": _tomorrow()}, format="json").json()["code"] == 4


def test_limits_are_inclusive(auth_api):
    body = auth_api.post(
        "/users/edit", {"nickname": "x" * 20, "birthday": "1900-01-01", "aboutMe": "y" * 200}, format="json"
    ).json()
    assert body["code"] == 0


def test_warm_profile_costs_no_database_query(user, django_assert_num_queries):
    client = login_client(user)
    client.get("/users/profile")
    assert kv.client().exists(kv.user_profile_key(user.id))
    with django_assert_num_queries(0):
        assert client.get("/users/profile").json()["Email"] == user.email


def test_warm_profile_costs_one_redis_round_trip(user, monkeypatch, settings):
    """Revocation check and cached profile travel together (docs/performance.md)."""
    settings.IP_RATE_LIMIT = 0  # the global per-IP limit is one more round trip of its own
    client = login_client(user)
    client.get("/users/profile")
    conn = kv.client().connection_pool.get_connection()
    kv.client().connection_pool.release(conn)
    sent = []
    real_send = type(conn).send_packed_command
    monkeypatch.setattr(type(conn), "send_packed_command", lambda self, *a, **kw: (sent.append(a[0][:3] if isinstance(a[0], list) else a[0]), real_send(self, *a, **kw))[1])
    assert client.get("/users/profile").json()["Email"] == user.email
    assert len(sent) == 1, sent


def test_edit_drops_the_cache(auth_api, user):
    auth_api.get("/users/profile")
    auth_api.post("/users/edit", {"nickname": "New"}, format="json")
    assert not kv.client().exists(kv.user_profile_key(user.id))


def test_profile_cache_has_a_lifetime(auth_api, user, settings):
    auth_api.get("/users/profile")
    ttl = kv.client().ttl(kv.user_profile_key(user.id))
    assert 0 < ttl <= settings.PROFILE_CACHE_TTL


def test_profile_and_edit_work_with_redis_down_when_revocation_fails_open(user, settings):
    client = login_client(user)
    settings.JWT_REVOCATION_FAILURE_MODE = "open"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        },
    }
    assert client.post("/users/edit", {"nickname": "Offline"}, format="json").json()["code"] == 0
    assert client.get("/users/profile").json()["Nickname"] == "Offline"
