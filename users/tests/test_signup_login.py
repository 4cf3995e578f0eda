"""Email sign-up and login: validation, the unique index, failed-attempt limits."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from users.models import User
from users.tests.factories import TEST_PASSWORD, UserFactory
from users.tokens import SessionAccessToken

GOOD = "Fake-Passw0rd!"
# Sign-up and login answer webook clients in plain text; a client asking for JSON alone gets the
# envelope (test_webook_fe.py covers the plain text).
JSON_ONLY = {"HTTP_ACCEPT": "application/json"}


def signup(api, email="new@example.test", password=GOOD, confirm=GOOD, key="confirmPassword"):
    return api.post("/users/signup", {"email": email, "password": password, key: confirm}, format="json",
                    **JSON_ONLY)


@pytest.mark.django_db
def test_signup_creates_user_with_normalised_email_and_bcrypt_hash(api):
    body = signup(api, email="  New.Person@Example.TEST ").json()
    assert body == {"code": 0, "msg": "signed up", "data": None}
    user = User.objects.get()
    assert user.email == "new.person@example.test"
    assert user.password.startswith("bcrypt_sha256$")
    assert user.check_password(GOOD)


@pytest.mark.django_db
def test_signup_accepts_snake_case_confirm_field(api):
    assert signup(api, key="confirm_password").json()["code"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password", "confirm", "fragment"),
    [
        ("not-an-email", GOOD, GOOD, "email"),
        ("", GOOD, GOOD, "email"),
        ("a" * 60 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "." + "e" * 10 + ".test", GOOD, GOOD, "email"),
        ("a@example.test", "Sh0rt!", "Sh0rt!", "8 to 64"),
        ("a@example.test", "A1!" + "x" * 62, "A1!" + "x" * 62, "8 to 64"),
        ("a@example.test", "NoDigits!!", "NoDigits!!", "a letter, a digit and a special"),
        ("a@example.test", "NoSpecial123", "NoSpecial123", "a letter, a digit and a special"),
        ("a@example.test", "12345678!@", "12345678!@", "a letter, a digit and a special"),
        ("a@example.test", GOOD, GOOD + "x", "do not match"),
        ("a@example.test", "Password1!", "Password1!", "too common"),
    ],
)
def test_signup_rejects_bad_input_and_creates_nothing(api, email, password, confirm, fragment):
    body = signup(api, email=email, password=password, confirm=confirm).json()
    assert body["code"] == 4
    assert fragment in body["msg"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_accepts_specials_beyond_webooks_set(api):
    assert signup(api, password="Fake^Passw0rd~", confirm="Fake^Passw0rd~").json()["code"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{}, {"email": 5, "password": [], "confirmPassword": None}])
def test_signup_missing_or_wrongly_typed_fields_are_code_4(api, payload):
    resp = api.post("/users/signup", payload, format="json", **JSON_ONLY)
    assert resp.status_code == 200 and resp.json()["code"] == 4


@pytest.mark.django_db
def test_duplicate_email_in_any_case_is_refused(api):
    assert signup(api, email="dup@example.test").json()["code"] == 0
    body = signup(api, email="DUP@example.test").json()
    assert body["code"] == 4 and "already registered" in body["msg"]
    assert User.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_signups_with_one_email_make_one_user():
    barrier = threading.Barrier(8)
    results = []

    def worker():
        try:
            client = APIClient()
            barrier.wait()
            resp = signup(client, email="race@example.test")
            results.append((resp.status_code, resp.json()["code"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert all(status == 200 for status, _ in results), results
    assert sorted(code for _, code in results) == [0] + [4] * 7
    assert User.objects.filter(email="race@example.test").count() == 1


def login(api, email, password, **extra):
    return api.post("/users/login", {"email": email, "password": password}, format="json", **JSON_ONLY, **extra)


@pytest.mark.django_db
def test_login_answers_tokens_in_headers(user):
    api = APIClient(HTTP_USER_AGENT="pytest-ua")
    resp = login(api, user.email.upper(), TEST_PASSWORD)
    assert resp.json() == {"code": 0, "msg": "logged in", "data": None}
    token = SessionAccessToken(resp["x-jwt-token"])
    assert token["uid"] == user.id
    assert resp["x-refresh-token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {resp['x-jwt-token']}")
    assert api.get("/users/profile").json()["Email"] == user.email


@pytest.mark.django_db
def test_unknown_email_and_wrong_password_get_the_same_message(api, user):
    wrong = login(api, user.email, "Wrong-Passw0rd!").json()
    unknown = login(api, "nobody@example.test", TEST_PASSWORD).json()
    assert wrong["code"] == unknown["code"] == 4
    assert wrong["msg"] == unknown["msg"]
    assert "x-jwt-token" not in login(api, user.email, "Wrong-Passw0rd!")


@pytest.mark.django_db
def test_account_is_locked_after_too_many_failures_even_for_right_password(api, user, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(3):
        assert login(api, user.email, "Wrong-Passw0rd!").json()["msg"] == "wrong email or password"
    body = login(api, user.email, TEST_PASSWORD).json()
    assert body["code"] == 4 and "too many attempts" in body["msg"]
    other = UserFactory()
    assert login(api, other.email, TEST_PASSWORD).json()["code"] == 0, "other accounts are not affected"


@pytest.mark.django_db
def test_account_limit_counts_across_ips(user, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    for ip in ("10.0.0.1", "10.0.0.2"):
        login(APIClient(REMOTE_ADDR=ip), user.email, "Wrong-Passw0rd!")
    assert "too many" in login(APIClient(REMOTE_ADDR="10.0.0.3"), user.email, TEST_PASSWORD).json()["msg"]


@pytest.mark.django_db
def test_ip_is_locked_after_too_many_failures_across_accounts(settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    users = UserFactory.create_batch(4)
    attacker = APIClient(REMOTE_ADDR="10.9.9.9")
    for u in users[:3]:
        login(attacker, u.email, "Wrong-Passw0rd!")
    assert "too many" in login(attacker, users[3].email, TEST_PASSWORD).json()["msg"]
    assert login(APIClient(REMOTE_ADDR="10.9.9.8"), users[3].email, TEST_PASSWORD).json()["code"] == 0


@pytest.mark.django_db
def test_failures_leave_the_window(api, user, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    settings.LOGIN_FAILURE_WINDOW = 1
    login(api, user.email, "Wrong-Passw0rd!")
    assert "too many" in login(api, user.email, TEST_PASSWORD).json()["msg"]
    import time

    time.sleep(1.1)
    assert login(api, user.email, TEST_PASSWORD).json()["code"] == 0


@pytest.mark.django_db
def test_login_with_bad_types_is_code_4(api):
    assert api.post("/users/login", {"email": ["x"], "password": 1}, format="json", **JSON_ONLY).json()["code"] == 4


@pytest.mark.django_db
def test_messages_are_shipped_in_simplified_chinese(user):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert login(api, user.email, "Wrong-Passw0rd!").json()["msg"] == "邮箱或密码错误"
    # A field name in a message is translated with it (it read "confirmPassword: 两次…" before).
    assert signup(api, email="x@example.test", confirm="other").json()["msg"] == "确认密码：两次输入的密码不一致"
