"""Login sessions: token claims, refresh rotation, logout, logout_all, revocation."""

import time
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from conftest import TEST_USER_AGENT, login_client
from users.tests.factories import UserFactory
from users.tokens import SessionAccessToken, SessionRefreshToken, user_agent_hash

pytestmark = pytest.mark.django_db


def bearer(client: APIClient, token: str) -> APIClient:
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_tokens_carry_uid_ssid_user_agent_and_type(user):
    client = login_client(user)
    access = SessionAccessToken(client.access_token)
    refresh = SessionRefreshToken(client.refresh_token)
    assert access["uid"] == refresh["uid"] == user.id
    assert access["ssid"] == refresh["ssid"]
    assert access["uah"] == user_agent_hash(TEST_USER_AGENT)
    assert (access["token_type"], refresh["token_type"]) == ("access", "refresh")


def test_each_login_gets_its_own_ssid(user):
    first, second = login_client(user), login_client(user)
    assert SessionAccessToken(first.access_token)["ssid"] != SessionAccessToken(second.access_token)["ssid"]


def test_logout_revokes_this_session_only(user):
    phone, laptop = login_client(user), login_client(user)
    resp = phone.post("/users/logout")
    assert resp.status_code == 200
    assert resp.json()["code"] == 0
    assert resp["x-jwt-token"] == "" and resp["x-refresh-token"] == ""
    assert phone.post("/users/logout").status_code == 401
    assert laptop.get("/users/logout").status_code == 200, "another login stays valid until its own logout"


def test_logout_also_kills_the_refresh_token(user):
    client = login_client(user)
    client.post("/users/logout")
    refresher = bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), client.refresh_token)
    assert refresher.get("/users/refresh_token").status_code == 401


def test_logout_all_revokes_every_session(user):
    sessions = [login_client(user) for _ in range(3)]
    other_user = login_client(UserFactory())
    assert sessions[0].post("/users/logout_all").json()["code"] == 0
    for client in sessions:
        assert client.post("/users/logout").status_code == 401
    assert other_user.post("/users/logout").status_code == 200


def test_refresh_rotates_both_tokens(user):
    client = login_client(user)
    refresher = bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), client.refresh_token)
    resp = refresher.get("/users/refresh_token")
    assert resp.status_code == 200 and resp.json()["code"] == 0
    new_access, new_refresh = resp["x-jwt-token"], resp["x-refresh-token"]
    assert new_access and new_refresh and new_refresh != client.refresh_token
    assert SessionAccessToken(new_access)["ssid"] == SessionAccessToken(client.access_token)["ssid"]
    assert bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), new_access).post("/users/logout").status_code == 200


def test_refresh_accepts_post_too(user):
    client = login_client(user)
    refresher = bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), client.refresh_token)
    assert refresher.post("/users/refresh_token").json()["code"] == 0


def test_reused_refresh_token_is_refused_and_revokes_the_session(user):
    client = login_client(user)
    refresher = bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), client.refresh_token)
    rotated = refresher.get("/users/refresh_token")
    assert rotated.status_code == 200
    assert refresher.get("/users/refresh_token").status_code == 401, "a refresh token works once"
    # Reuse means theft: the session is gone, including the tokens the thief just got.
    assert bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), rotated["x-jwt-token"]).post("/users/logout").status_code == 401
    assert client.post("/users/logout").status_code == 401


def test_access_token_is_refused_at_refresh(user):
    client = login_client(user)
    assert bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), client.access_token).get("/users/refresh_token").status_code == 401


def test_refresh_token_is_refused_elsewhere(user):
    client = login_client(user)
    assert bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), client.refresh_token).post("/users/logout").status_code == 401


def test_token_from_another_user_agent_is_refused(user):
    client = login_client(user)
    thief = bearer(APIClient(HTTP_USER_AGENT="curl/8.0"), client.access_token)
    assert thief.post("/users/logout").status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer null", "Bearer", "Bearer garbage.token.here", "Token abc", "Bearer a b"])
def test_missing_or_garbage_token_is_a_bare_401(header):
    client = APIClient(HTTP_USER_AGENT=TEST_USER_AGENT)
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    resp = client.post("/users/logout")
    assert resp.status_code == 401
    assert resp.content == b""


def test_expired_access_token_is_refused(user):
    token = SessionAccessToken()
    token["uid"], token["ssid"], token["uah"] = user.id, "a" * 32, user_agent_hash(TEST_USER_AGENT)
    token.set_exp(from_time=token.current_time - timedelta(hours=2), lifetime=timedelta(minutes=30))
    client = bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), str(token))
    assert client.post("/users/logout").status_code == 401


def test_a_token_that_expires_after_it_was_accepted_is_refused_from_then_on(user):
    # Each process remembers verified tokens (users.tokens); their expiry is checked at every use.
    client = login_client(user)
    claims = SessionAccessToken(client.access_token).payload
    token = SessionAccessToken()
    for claim in ("uid", "ssid", "uah"):
        token[claim] = claims[claim]
    token["exp"] = int(time.time()) + 2  # at least a second to use it in
    reader = bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), str(token))
    assert reader.get("/users/profile").status_code == 200
    assert reader.get("/users/profile").status_code == 200
    time.sleep(max(0.0, token["exp"] - time.time()) + 0.05)
    assert reader.get("/users/profile").status_code == 401


def test_token_signed_with_another_key_is_refused(user):
    import jwt

    client = login_client(user)
    claims = dict(SessionAccessToken(client.access_token).payload)
    forged = jwt.encode(claims, "another-fake-signing-key-0123456789", algorithm="HS256")
    assert bearer(APIClient(HTTP_USER_AGENT=TEST_USER_AGENT), forged).post("/users/logout").status_code == 401


def _redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        },
    }


def test_redis_down_fails_closed_by_default(user, settings):
    client = login_client(user)
    _redis_down(settings)
    assert client.post("/users/logout_all").status_code == 401


def test_redis_down_can_fail_open(user, settings):
    client = login_client(user)
    settings.JWT_REVOCATION_FAILURE_MODE = "open"
    _redis_down(settings)
    # Authentication passes; the logout itself then needs Redis and says so (code 5, not a hang).
    client.raise_request_exception = False
    resp = client.post("/users/logout_all")
    assert resp.status_code != 401
