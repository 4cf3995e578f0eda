"""Duplicate protection and signed template tokens."""

import time

import pytest

from sms.models import OutboxMessage
from sms.services import sms_send, sms_template_token
from sms.tests.conftest import PHONE
from tinybook.exceptions import ForbiddenError

pytestmark = pytest.mark.django_db


def test_same_message_within_window_is_sent_once(settings):
    settings.SMS_DEDUP_WINDOW = 1
    first = sms_send(tpl_id="login_code", args=["123456"], numbers=[PHONE])
    again = sms_send(tpl_id="login_code", args=["123456"], numbers=["13800000000"])
    assert (first.status, first.duplicate) == ("sent", False)
    assert (again.status, again.duplicate) == ("sent", True)
    assert OutboxMessage.objects.count() == 1
    sms_send(tpl_id="login_code", args=["654321"], numbers=[PHONE])  # other args
    sms_send(tpl_id="other", args=["123456"], numbers=[PHONE])  # other template
    sms_send(tpl_id="login_code", args=["123456"], numbers=["+8613800000001"])  # other number
    assert OutboxMessage.objects.count() == 4
    time.sleep(1.05)
    assert sms_send(tpl_id="login_code", args=["123456"], numbers=[PHONE]).duplicate is False
    assert OutboxMessage.objects.count() == 5


def test_number_order_does_not_defeat_dedup():
    a, b = PHONE, "+8613800000001"
    sms_send(tpl_id="notice", args=["x"], numbers=[a, b])
    assert sms_send(tpl_id="notice", args=["x"], numbers=[b, a]).duplicate is True
    assert OutboxMessage.objects.count() == 2


def test_duplicate_of_a_queued_message_says_accepted(settings, fake_tencent):
    settings.SMS_PROVIDERS = ["tencent"]
    fake_tencent.mode = "error"
    assert sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE]).status == "accepted"
    fake_tencent.mode = "ok"
    again = sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE])
    assert (again.status, again.duplicate) == ("accepted", True)
    assert fake_tencent.received == []


def test_required_template_token_refuses_missing_and_forged(settings):
    settings.SMS_REQUIRE_TEMPLATE_TOKEN = True
    with pytest.raises(ForbiddenError):
        sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE])
    with pytest.raises(ForbiddenError):
        sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE], template_token="login_code:forged")
    token = sms_template_token(tpl_id="login_code")
    with pytest.raises(ForbiddenError):  # a token for another template
        sms_send(tpl_id="marketing", args=["1"], numbers=[PHONE], template_token=token)
    with pytest.raises(ForbiddenError):  # tampered
        sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE], template_token=token[:-2] + "xx")
    assert OutboxMessage.objects.count() == 0
    assert sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE], template_token=token).status == "sent"


def test_forged_token_is_refused_even_when_tokens_are_optional():
    with pytest.raises(ForbiddenError):
        sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE], template_token="nope")
    assert OutboxMessage.objects.count() == 0


def test_expired_template_token_is_refused(settings):
    settings.SMS_REQUIRE_TEMPLATE_TOKEN = True
    settings.SMS_TEMPLATE_TOKEN_MAX_AGE = 1
    token = sms_template_token(tpl_id="login_code")
    time.sleep(2.05)
    with pytest.raises(ForbiddenError):
        sms_send(tpl_id="login_code", args=["1"], numbers=[PHONE], template_token=token)
