"""What answers say (issue 22, item 16): 405 for a method a route does not have, one time zone
in every answer, and a queued login code announced truthfully."""

import re

import pytest
from rest_framework.test import APIClient

from conftest import login_client
from interactions.tests.helpers import published_article
from ranking.services import hot_list_refresh
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method, path", [
    ("TRACE", "/users/refresh_token"), ("PUT", "/users/refresh_token"), ("TRACE", "/users/profile"),
    ("DELETE", "/users/logout_all"), ("TRACE", "/articles/pub/like"), ("PATCH", "/users/login"),
    ("TRACE", "/articles/pub/1"),
])
@pytest.mark.parametrize("logged_in", [False, True])
def test_a_method_the_route_does_not_have_is_405_with_or_without_a_token(user, method, path, logged_in):
    client = login_client(user) if logged_in else APIClient()
    resp = client.generic(method, path)
    assert resp.status_code == 405
    assert resp.json()["code"] == 4


def test_every_answer_carries_times_in_the_configured_time_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    author = UserFactory()
    client = login_client(author)
    article = published_article(author)
    client.post("/articles/pub/like", {"id": article, "like": True}, format="json")
    hot_list_refresh(trigger="test")
    answers = [
        client.get(f"/articles/pub/{article}").json()["data"],
        client.post("/articles/pub/list", {"offset": 0, "limit": 10}, format="json").json()["data"],
        client.post("/articles/list", {"offset": 0, "limit": 10}, format="json").json()["data"],
        client.get(f"/articles/detail/{article}").json()["data"],
        client.get("/ranking/hot").json()["data"],
        client.get("/ranking/likes?n=5").json()["data"],
    ]
    times = re.findall(r"'[cu]time': '([^']+)'", repr(answers))
    assert len(times) >= 9
    assert all(t.endswith("+08:00") for t in times), times


def test_a_queued_login_code_is_announced_as_on_its_way_not_as_sent(api, settings):
    settings.SMS_PROVIDERS = ["console"]
    settings.SMS_CONSOLE_RATE_LIMIT = 0  # the provider is limited: the SMS is queued
    resp = api.post("/users/login_sms/code/send", {"phone": "+8613900000077"}, format="json",
                    HTTP_ACCEPT="application/json")
    assert resp.json()["code"] == 0
    assert resp.json()["msg"] == "the code will arrive shortly"


def test_a_login_code_sent_at_once_says_so(api, settings):
    settings.SMS_PROVIDERS = ["console"]
    resp = api.post("/users/login_sms/code/send", {"phone": "+8613900000078"}, format="json",
                    HTTP_ACCEPT="application/json")
    assert resp.json()["msg"] == "code sent"
