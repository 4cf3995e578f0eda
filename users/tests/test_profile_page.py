"""The profile edit page shows every wrong field at once; the nickname is optional, as in the
service (empty means "keep it"), and once set can be changed but not removed; Chinese labels
end in a full-width colon."""

import re

import pytest

from users.models import User

pytestmark = pytest.mark.django_db


def field_errors(html: str) -> dict[str, list[str]]:
    """Errors shown under each field: {field name: [messages]}."""
    found = {}
    for block in re.findall(r'<p class="field[^"]*">(.*?)</p>', html, re.S):
        name = re.search(r'name="(\w+)"', block).group(1)
        found[name] = re.findall(r'<span class="error">([^<]*)</span>', block)
    return found


@pytest.fixture
def member(client, user):
    User.objects.filter(pk=user.pk).update(nickname="Before")
    client.force_login(user)
    return client


def test_two_wrong_fields_show_two_errors_at_once_and_save_nothing(member, user, settings):
    settings.PROFILE_ABOUT_ME_MAX_LENGTH = 10
    html = member.post("/account/profile/edit",
                       {"nickname": "x" * 21, "birthday": "1990-13-01", "about_me": "x" * 11}).content.decode()
    errors = field_errors(html)
    assert errors["nickname"] == ["at most 20 characters"]
    assert errors["birthday"] == ["use the format YYYY-MM-DD, a real date, not in the future"]
    assert errors["about_me"] == ["at most 10 characters"]
    user.refresh_from_db()
    assert (user.nickname, user.birthday, user.about_me) == ("Before", None, "")


def test_a_set_nickname_can_be_changed_but_not_removed(member, user):
    errors = field_errors(member.post("/account/profile/edit", {"nickname": "", "birthday": "2999-01-01"}).content.decode())
    assert errors["nickname"] == ["a nickname can be changed but not removed"]
    assert errors["birthday"]  # shown at the same time
    user.refresh_from_db()
    assert user.nickname == "Before"


def test_without_a_nickname_the_profile_saves_without_one(client, user):
    User.objects.filter(pk=user.pk).update(nickname="")
    client.force_login(user)
    html = client.get("/account/profile/edit").content.decode()
    assert not re.search(r'<input[^>]*name="nickname"[^>]*required', html)
    assert "optional; once set, it can be changed but not removed" in html
    assert "optional, at most 200 characters" in html  # about me says it is optional too
    resp = client.post("/account/profile/edit", {"nickname": "  ", "birthday": "1990-01-02", "about_me": ""})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert (user.nickname, user.birthday.isoformat()) == ("", "1990-01-02")


def test_a_good_profile_still_saves(member, user):
    resp = member.post("/account/profile/edit", {"nickname": " New ", "birthday": "1990-01-02", "about_me": "hi"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert (user.nickname, user.birthday.isoformat(), user.about_me) == ("New", "1990-01-02", "hi")


@pytest.mark.parametrize("path", ["/account/signup", "/account/login", "/account/profile/edit"])
def test_chinese_labels_end_in_a_full_width_colon(client, user, settings, path):
    client.force_login(user)  # the profile page needs it; sign-up and login render the same
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(path).content.decode()
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", html)
    assert labels, path
    assert all(label.endswith("：") for label in labels), labels
    assert not re.search(r"[\u4e00-\u9fff]:", html), "an ASCII colon after a Chinese word"


def test_english_labels_keep_their_colon(client):
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", client.get("/account/signup").content.decode())
    assert labels == ["Email:", "Password:", "Confirm password:"]
