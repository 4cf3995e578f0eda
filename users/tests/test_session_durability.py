"""Sessions end when they must, and stay ended (issue 22, items 3, 6, 8, 9).

A deleted or deactivated user's tokens stop working at once; a token with claims of the
wrong shape is refused; and a logout, a logout_all and a used refresh token are remembered
by the database, so Redis losing its keys (flush, restart without persistence) forgets none.
"""

import time
from datetime import timedelta

import jwt
import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from conftest import TEST_USER_AGENT, login_client
from interactions.models import Collection
from interactions.tests.helpers import published_article
from tinybook import kv
from users import services
from users.models import LoginSession, User
from users.tests.factories import TEST_PASSWORD, UserFactory
from users.tokens import SessionAccessToken, user_agent_hash

pytestmark = pytest.mark.django_db


def bearer(token: str) -> APIClient:
    client = APIClient(HTTP_USER_AGENT=TEST_USER_AGENT)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def redis_loses_everything():
    """What a restart without persistence, or a FLUSHDB, does to the keys (the test's own db)."""
    kv.client().flushdb()


# --- 3. a deleted user's still-valid token ------------------------------------------------------

@pytest.mark.parametrize("path, body", [
    ("/articles/pub/like", lambda a: {"id": a, "like": True}),
    ("/articles/pub/collect", lambda a: {"id": a}),
    ("/articles/publish", lambda a: {"title": "t", "content": "<p>c</p>"}),
    ("/collections/create", lambda a: {"name": "folder"}),
])
def test_a_deleted_users_token_is_401_not_a_500(path, body):
    article = published_article()
    doomed = UserFactory()
    client = login_client(doomed)
    doomed.delete()
    client.raise_request_exception = False
    resp = client.post(path, body(article), format="json")
    assert resp.status_code == 401
    assert not Collection.objects.exists()


def test_a_deleted_users_token_stays_refused_after_redis_lost_its_keys():
    doomed = UserFactory()
    client = login_client(doomed)
    doomed.delete()
    redis_loses_everything()
    assert client.post("/users/logout").status_code == 401


# --- 6. tokens signed with our key but carrying odd claims ------------------------------------

def _signed(**overrides) -> str:
    good = SessionAccessToken()
    claims = {**good.payload, "uid": 1, "ssid": "a" * 32, "uah": user_agent_hash(TEST_USER_AGENT), **overrides}
    claims = {k: v for k, v in claims.items() if v is not ...}
    return jwt.encode(claims, django_settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")


@pytest.mark.parametrize("claims", [
    {"uid": "1"}, {"uid": [1]}, {"uid": 1.5}, {"uid": True}, {"uid": 0}, {"uid": 2**60}, {"uid": None},
    {"uid": ...}, {"exp": 1e30}, {"exp": "tomorrow"}, {"exp": -1e30}, {"iat": 1e300}, {"ssid": 123},
    {"ssid": ["x"]}, {"ssid": ...}, {"uah": 5}, {"jti": {"a": 1}}, {"token_type": ["access"]},
])
def test_a_token_with_odd_claims_is_401_on_protected_routes_and_anonymous_on_public_ones(user, claims):
    token = _signed(**{"uid": user.id, **claims})
    client = bearer(token)
    client.raise_request_exception = False
    assert client.get("/users/profile").status_code == 401
    article = published_article()
    public = client.get(f"/articles/pub/{article}")
    assert public.status_code == 200
    assert public.json()["data"]["liked"] is False


def test_a_well_formed_token_of_a_session_that_never_existed_is_refused(user):
    client = bearer(_signed(uid=user.id, ssid="b" * 32))
    assert client.get("/users/profile").status_code == 401


def test_a_token_naming_another_user_for_a_real_session_is_refused(user):
    real = SessionAccessToken(login_client(user).access_token)
    other = UserFactory()
    client = bearer(_signed(uid=other.id, ssid=real["ssid"]))
    assert client.get("/users/profile").status_code == 401
    redis_loses_everything()
    assert client.get("/users/profile").status_code == 401  # the database says the same


# --- 9. deactivation ends the sessions at once --------------------------------------------------

def test_unticking_active_ends_every_session_at_once(user):
    phone, laptop = login_client(user), login_client(user)
    user.is_active = False
    user.save()  # what the admin's change form does
    assert phone.get("/users/profile").status_code == 401
    assert laptop.post("/users/logout").status_code == 401
    assert bearer(phone.refresh_token).get("/users/refresh_token").status_code == 401
    redis_loses_everything()
    assert phone.get("/users/profile").status_code == 401


def test_the_admin_deactivate_action_ends_their_sessions(client, user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    victim = login_client(user)
    resp = client.post("/admin/users/user/", {"action": "deactivate", "_selected_action": [user.pk]})
    assert resp.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
    assert victim.get("/users/profile").status_code == 401
    assert bearer(victim.refresh_token).post("/users/refresh_token").status_code == 401


def test_a_deactivated_user_cannot_log_in_again_by_any_way(user):
    user.is_active = False
    user.save()
    resp = APIClient().post("/users/login", {"email": user.email, "password": TEST_PASSWORD}, format="json",
                            HTTP_ACCEPT="application/json")
    assert resp.json()["code"] == 4
    # SMS and WeChat logins find the account by phone or open id: the session refuses to open.
    from tinybook.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        services.session_start(user_id=user.id, user_agent=TEST_USER_AGENT)


def test_a_deactivated_user_with_redis_keys_already_there_is_refused_via_the_database(user):
    client = login_client(user)
    User.objects.filter(pk=user.pk).update(is_active=False)  # no signal, no service: a raw write
    redis_loses_everything()
    assert client.get("/users/profile").status_code == 401


# --- 8. revocation survives Redis losing its keys ------------------------------------------------

def test_a_logout_is_remembered_after_redis_lost_its_keys(user):
    client = login_client(user)
    assert client.post("/users/logout").status_code == 200
    redis_loses_everything()
    assert client.get("/users/profile").status_code == 401
    assert bearer(client.refresh_token).get("/users/refresh_token").status_code == 401


def test_logout_all_is_remembered_after_redis_lost_its_keys(user):
    sessions = [login_client(user) for _ in range(3)]
    assert sessions[0].post("/users/logout_all").json()["code"] == 0
    redis_loses_everything()
    for client in sessions:
        assert client.get("/users/profile").status_code == 401
        assert bearer(client.refresh_token).get("/users/refresh_token").status_code == 401


def test_refresh_reuse_is_detected_after_redis_lost_its_keys(user):
    client = login_client(user)
    rotated = bearer(client.refresh_token).get("/users/refresh_token")
    assert rotated.status_code == 200
    redis_loses_everything()
    assert bearer(client.refresh_token).get("/users/refresh_token").status_code == 401
    # Reuse means theft: the whole session is gone.
    assert bearer(rotated["x-jwt-token"]).get("/users/profile").status_code == 401


def test_a_good_session_keeps_working_after_redis_lost_its_keys_and_is_cached_again(user):
    client = login_client(user)
    redis_loses_everything()
    assert client.get("/users/profile").status_code == 200
    ssid = SessionAccessToken(client.access_token)["ssid"]
    assert kv.client().get(kv.session_key(ssid)) == str(user.id).encode()


def test_the_per_request_answer_is_cached_for_a_bounded_time(user, settings):
    client = login_client(user)
    ssid = SessionAccessToken(client.access_token)["ssid"]
    assert 0 < kv.client().ttl(kv.session_key(ssid)) <= settings.AUTH_SESSION_CACHE_TTL


def test_a_revocation_redis_did_not_hear_of_is_seen_once_the_cached_answer_expires(user, settings):
    settings.AUTH_SESSION_CACHE_TTL = 1
    client = login_client(user)
    ssid = SessionAccessToken(client.access_token)["ssid"]
    LoginSession.objects.filter(ssid=ssid).update(revoked_at=LoginSession.objects.get(ssid=ssid).created_at)
    time.sleep(1.2)
    assert client.get("/users/profile").status_code == 401


def test_expired_session_records_are_purged(user):
    login_client(user)
    LoginSession.objects.update(expires_at=LoginSession.objects.get().created_at - timedelta(seconds=1))
    login_client(user)
    assert services.sessions_purge() == 1
    assert LoginSession.objects.count() == 1


def test_a_login_records_its_session_in_the_database(user):
    client = login_client(user)
    token = SessionAccessToken(client.access_token)
    row = LoginSession.objects.get(ssid=token["ssid"])
    assert row.user_id == user.id and row.revoked_at is None
