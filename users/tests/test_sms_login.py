"""SMS code login: send limits, verification attempts, single use, atomicity."""

import re
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from sms.models import OutboxMessage
from tinybook import kv
from users.models import User
from users.tokens import SessionAccessToken

PHONE = "+8613800000000"
pytestmark = pytest.mark.django_db


def send(api, phone=PHONE):
    return api.post("/users/login_sms/code/send", {"phone": phone}, format="json").json()


def verify(api, code, phone=PHONE):
    return api.post("/users/login_sms", {"phone": phone, "code": code}, format="json")


def last_code(phone=PHONE) -> str:
    text = OutboxMessage.objects.filter(phone=phone).order_by("-id").first().text
    return re.search(r"\d{6}", text).group(0)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture(autouse=True)
def _console_sms(settings):
    settings.SMS_PROVIDERS = ["console"]
    settings.SMS_REQUIRE_TEMPLATE_TOKEN = False


def test_send_then_login_creates_user_by_phone_and_answers_tokens(api):
    assert send(api, phone="138 0000 0000") == {"code": 0, "msg": "code sent", "data": None}
    code = last_code()
    assert re.fullmatch(r"\d{6}", code)
    resp = verify(api, code, phone="13800000000")
    assert resp.json()["code"] == 0
    user = User.objects.get(phone=PHONE)
    assert SessionAccessToken(resp["x-jwt-token"])["uid"] == user.id
    assert resp["x-refresh-token"]


def test_second_login_finds_the_same_user(api, settings):
    settings.SMS_CODE_RESEND_INTERVAL = 0
    send(api)
    verify(api, last_code())
    send(api)
    assert verify(api, last_code()).json()["code"] == 0
    assert User.objects.filter(phone=PHONE).count() == 1


def test_only_a_hash_of_the_code_is_stored(api):
    send(api)
    stored = kv.client().hgetall(kv.sms_code_key(PHONE))
    assert last_code().encode() not in b"".join(stored.values())


@pytest.mark.parametrize("phone", ["", "12345", "not a phone", "+1 555 000", None, 13800000000])
def test_bad_phone_is_code_4_and_sends_nothing(api, phone):
    body = api.post("/users/login_sms/code/send", {"phone": phone}, format="json").json()
    assert body["code"] == 4 and "phone" in body["msg"]
    assert not OutboxMessage.objects.exists()


def test_one_send_per_phone_per_interval(api):
    assert send(api)["code"] == 0
    body = send(api)
    assert body["code"] == 4 and "wait" in body["msg"]
    assert OutboxMessage.objects.count() == 1


def test_code_is_single_use(api):
    send(api)
    code = last_code()
    assert verify(api, code).json()["code"] == 0
    again = verify(api, code).json()
    assert again["code"] == 4


def test_wrong_expired_used_and_exhausted_codes_get_one_message(api, settings):
    send(api)
    code = last_code()
    msgs = set()
    msgs.add(verify(api, wrong(code)).json()["msg"])  # wrong
    assert verify(api, code).json()["code"] == 0
    msgs.add(verify(api, code).json()["msg"])  # used
    msgs.add(verify(api, "000000", phone="+8613800000009").json()["msg"])  # never sent / expired
    assert msgs == {"the code is wrong or has expired"}


def test_code_expires(api, settings):
    settings.SMS_CODE_TTL = 1
    send(api)
    code = last_code()
    import time

    time.sleep(1.2)
    assert verify(api, code).json()["msg"] == "the code is wrong or has expired"


def test_code_is_dead_after_max_attempts_even_if_right(api, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    send(api)
    code = last_code()
    for _ in range(3):
        assert verify(api, wrong(code)).json()["code"] == 4
    assert verify(api, code).json()["msg"] == "the code is wrong or has expired"
    assert not User.objects.exists()


def test_right_code_on_last_attempt_still_works(api, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    send(api)
    code = last_code()
    verify(api, wrong(code))
    verify(api, wrong(code))
    assert verify(api, code).json()["code"] == 0


@pytest.mark.parametrize("code", ["", "12345a", "１２３４５６", None, 123456])
def test_malformed_code_is_the_same_code_4(api, code):
    send(api)
    assert verify(api, code).json() == {"code": 4, "msg": "the code is wrong or has expired", "data": None}


def test_sends_per_ip_per_hour_limited(api, settings):
    settings.SMS_CODE_SENDS_PER_IP_PER_HOUR = 2
    assert send(api, "+8613800000001")["code"] == 0
    assert send(api, "+8613800000002")["code"] == 0
    body = send(api, "+8613800000003")
    assert body["code"] == 4 and "too many" in body["msg"]
    assert send(APIClient(REMOTE_ADDR="10.1.1.1"), "+8613800000003")["code"] == 0


def test_sends_per_phone_per_day_limited(api, settings):
    settings.SMS_CODE_SENDS_PER_PHONE_PER_DAY = 2
    settings.SMS_CODE_RESEND_INTERVAL = 1
    import time

    assert send(api)["code"] == 0
    time.sleep(1.05)
    assert send(api)["code"] == 0
    time.sleep(1.05)
    assert "too many" in send(api)["msg"]
    assert OutboxMessage.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_one_wins():
    barrier = threading.Barrier(2)
    codes = []

    def worker():
        try:
            barrier.wait()
            codes.append(send(APIClient())["code"])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(codes) == [0, 4]
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_six_concurrent_verifies_of_one_code_exactly_one_wins(settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 10
    send(APIClient())
    code = last_code()
    barrier = threading.Barrier(6)
    results = []

    def worker():
        try:
            barrier.wait()
            resp = verify(APIClient(), code)
            results.append((resp.status_code, resp.json()["code"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [(200, 0)] + [(200, 4)] * 5
    assert User.objects.filter(phone=PHONE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_logins_of_one_phone_make_one_user(settings):
    from users import services

    barrier = threading.Barrier(6)
    ids, errors = [], []

    def worker():
        try:
            barrier.wait()
            ids.append(services.user_find_or_create(phone=PHONE).id)
        except Exception as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    assert len(set(ids)) == 1
    assert User.objects.filter(phone=PHONE).count() == 1


def test_sms_login_works_when_template_tokens_are_required(api, settings):
    settings.SMS_REQUIRE_TEMPLATE_TOKEN = True
    assert send(api)["code"] == 0
    assert verify(api, last_code()).json()["code"] == 0


def test_failed_send_releases_the_resend_lock(api, settings):
    settings.SMS_LOGIN_TEMPLATE_ID = "bad template id!"  # refused by the SMS app's validation
    assert send(api)["code"] == 4
    assert not kv.client().exists(kv.sms_code_resend_key(PHONE))
    settings.SMS_LOGIN_TEMPLATE_ID = "login_code"
    assert send(api)["code"] == 0
