"""A real Redis restarted without persistence forgets no logout (issue 22, item 8).

The application talks to a redis-server of this test's own (never the shared one), which is
killed and started again between the logout and the next request.
"""

import pytest
from rest_framework.test import APIClient

from conftest import TEST_USER_AGENT, login_client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def bearer(token):
    client = APIClient(HTTP_USER_AGENT=TEST_USER_AGENT)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_logout_logout_all_and_used_refresh_tokens_survive_a_redis_restart(own_redis, user):
    logged_out, everywhere, rotated_from = login_client(user), login_client(user), login_client(user)
    assert logged_out.post("/users/logout").status_code == 200
    second_user_sessions = [login_client(user) for _ in range(2)]
    rotated = bearer(rotated_from.refresh_token).get("/users/refresh_token")
    assert rotated.status_code == 200

    own_redis.restart()  # every key gone: revocations, cached sessions, used refresh tokens

    assert logged_out.get("/users/profile").status_code == 401
    assert bearer(logged_out.refresh_token).get("/users/refresh_token").status_code == 401
    assert bearer(rotated_from.refresh_token).get("/users/refresh_token").status_code == 401  # reuse
    assert bearer(rotated["x-jwt-token"]).get("/users/profile").status_code == 401  # … revoked the session
    assert everywhere.get("/users/profile").status_code == 200  # good sessions stay good
    assert everywhere.post("/users/logout_all").status_code == 200

    own_redis.restart()

    for client in [everywhere, *second_user_sessions]:
        assert client.get("/users/profile").status_code == 401
