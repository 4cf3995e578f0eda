"""The real Tencent and Aliyun SDKs against a local fake server; failover between them."""

import time

import pytest

from sms.models import AsyncSms
from sms.senders import CallerTimeout
from sms.services import sms_send
from sms.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


def test_tencent_sdk_sends_numbers_and_args(settings, fake_tencent):
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_TEMPLATE_MAP = {"tencent": {"login_code": "1234567"}}
    result = sms_send(tpl_id="login_code", args=["123456"], numbers=[PHONE])
    assert (result.status, result.provider) == ("sent", "tencent")
    assert fake_tencent.received == [("tencent", [PHONE], ["123456"])]


def test_aliyun_sdk_sends_named_params(settings, fake_aliyun):
    settings.SMS_PROVIDERS = ["aliyun"]
    result = sms_send(tpl_id="login_code", args=["654321"], numbers=[PHONE])
    assert (result.status, result.provider) == ("sent", "aliyun")
    assert fake_aliyun.received == [("aliyun", [PHONE.lstrip("+")], {"code": "654321"})]


@pytest.mark.parametrize("mode", ["error", "slow", "hang"])
def test_failing_provider_fails_over_to_the_next(settings, fake_tencent, fake_aliyun, mode):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_PROVIDER_TIMEOUT = 0.3
    fake_tencent.mode, fake_tencent.delay = mode, 1.0
    for i in range(2):  # round-robin starts at each provider once
        result = sms_send(tpl_id="login_code", args=[f"10000{i}"], numbers=[PHONE])
        assert (result.status, result.provider) == ("sent", "aliyun")
    assert fake_tencent.received == []
    assert len(fake_aliyun.received) == 2


def test_every_provider_failing_queues_the_message(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    fake_tencent.mode = fake_aliyun.mode = "error"
    result = sms_send(tpl_id="login_code", args=["111111"], numbers=[PHONE])
    assert result.status == "accepted"
    row = AsyncSms.objects.get(id=result.async_id)
    assert (row.status, row.tpl_id, row.args, row.numbers) == ("pending", "login_code", ["111111"], [PHONE])
    assert row.last_error.startswith("error")


def test_round_robin_spreads_sends_over_providers(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    for i in range(4):
        sms_send(tpl_id="login_code", args=[f"20000{i}"], numbers=[PHONE])
    assert len(fake_tencent.received) == 2 and len(fake_aliyun.received) == 2


def test_caller_timeout_is_returned_at_once_without_failover_or_queue(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.01]], "aliyun": [[0, 0.02]]}  # tencent first
    fake_tencent.mode = "hang"
    started = time.monotonic()
    with pytest.raises(CallerTimeout):
        sms_send(tpl_id="login_code", args=["333333"], numbers=[PHONE], timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert fake_aliyun.requests == 0
    assert AsyncSms.objects.count() == 0
    # The caller may try again: the failed attempt does not count as a duplicate.
    fake_tencent.mode = "ok"
    assert sms_send(tpl_id="login_code", args=["333333"], numbers=[PHONE]).status == "sent"


@pytest.mark.parametrize("provider", ["tencent", "aliyun"])
def test_unreachable_provider_errors_never_carry_the_code_or_number(settings, provider, caplog):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.SMS_PROVIDERS = [provider]
    for name in ("SMS_TENCENT_SECRET_ID", "SMS_TENCENT_SECRET_KEY", "SMS_ALIYUN_ACCESS_KEY_ID",
                 "SMS_ALIYUN_ACCESS_KEY_SECRET"):
        setattr(settings, name, "fake")
    setattr(settings, f"SMS_{provider.upper()}_ENDPOINT", f"http://127.0.0.1:{port}")
    result = sms_send(tpl_id="login_code", args=["987654"], numbers=[PHONE])
    assert result.status == "accepted"
    row = AsyncSms.objects.get(id=result.async_id)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for text in (row.last_error, logged):
        assert "987654" not in text and "13800000000" not in text
    assert provider in row.last_error


@pytest.mark.parametrize("mode", ["error", "hang"])
def test_aliyun_failing_fails_over_to_tencent(settings, fake_tencent, fake_aliyun, mode):
    settings.SMS_PROVIDERS = ["aliyun", "tencent"]
    settings.SMS_FEE_TIERS = {"aliyun": [[0, 0.01]], "tencent": [[0, 0.02]]}
    settings.SMS_PROVIDER_TIMEOUT = 0.3
    fake_aliyun.mode = mode
    result = sms_send(tpl_id="login_code", args=["444444"], numbers=[PHONE])
    assert (result.status, result.provider) == ("sent", "tencent")
    assert fake_aliyun.requests == 1 and fake_aliyun.received == []


def test_aliyun_hang_under_caller_timeout_is_a_caller_timeout(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["aliyun", "tencent"]
    settings.SMS_FEE_TIERS = {"aliyun": [[0, 0.01]], "tencent": [[0, 0.02]]}
    fake_aliyun.mode = "hang"
    with pytest.raises(CallerTimeout):
        sms_send(tpl_id="login_code", args=["555555"], numbers=[PHONE], timeout=0.3)
    assert fake_tencent.requests == 0
