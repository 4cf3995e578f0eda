"""Rate limits and monthly fee tiers change which provider gets a message."""

import pytest

from sms.models import AsyncSms
from sms.services import sms_send
from sms.tests.conftest import PHONE

pytestmark = pytest.mark.django_db


def _send(i, **kw):
    return sms_send(tpl_id="login_code", args=[f"{i:06d}"], numbers=[PHONE], **kw)


def test_rate_limit_moves_traffic_then_queues(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.01]], "aliyun": [[0, 0.02]]}
    settings.SMS_TENCENT_RATE_LIMIT = 2
    settings.SMS_ALIYUN_RATE_LIMIT = 1
    settings.SMS_RATE_LIMIT_WINDOW = 60
    assert [_send(i).provider for i in range(3)] == ["tencent", "tencent", "aliyun"]
    queued = _send(3)
    assert queued.status == "accepted"
    assert AsyncSms.objects.get(id=queued.async_id).last_error.startswith("limited")
    assert len(fake_tencent.received) == 2 and len(fake_aliyun.received) == 1


def test_rate_limit_window_slides(settings, fake_tencent):
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_TENCENT_RATE_LIMIT = 1
    settings.SMS_RATE_LIMIT_WINDOW = 0.3
    assert _send(0).status == "sent"
    assert _send(1).status == "accepted"
    import time

    time.sleep(0.35)
    assert _send(2).status == "sent"


def test_redis_down_treats_provider_as_limited_by_default(settings, fake_tencent, redis_down):
    settings.SMS_PROVIDERS = ["tencent"]
    assert _send(0).status == "accepted"
    assert fake_tencent.requests == 0


def test_redis_down_fail_open_still_sends(settings, fake_tencent, redis_down):
    settings.SMS_PROVIDERS = ["tencent"]
    settings.SMS_RATE_LIMIT_FAIL_CLOSED = False
    assert _send(0).status == "sent"
    assert len(fake_tencent.received) == 1


def test_cheapest_provider_at_its_monthly_volume_is_chosen(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    # Tencent is dearer until it has sent 2 messages this month, then cheaper.
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.05], [2, 0.03]], "aliyun": [[0, 0.04]]}
    assert [_send(i).provider for i in range(3)] == ["aliyun"] * 3
    fake_aliyun.mode = "error"  # two sends fail over to tencent, raising its volume
    assert [_send(i).provider for i in range(3, 5)] == ["tencent", "tencent"]
    fake_aliyun.mode = "ok"
    assert [_send(i).provider for i in range(5, 8)] == ["tencent"] * 3


def test_providers_without_tiers_come_after_priced_ones(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"aliyun": [[0, 0.04]]}
    assert [_send(i).provider for i in range(3)] == ["aliyun"] * 3


def test_volume_counts_every_number(settings, fake_tencent, fake_aliyun):
    settings.SMS_PROVIDERS = ["tencent", "aliyun"]
    settings.SMS_FEE_TIERS = {"tencent": [[0, 0.05], [3, 0.01]], "aliyun": [[0, 0.04]]}
    fake_aliyun.mode = "error"
    sms_send(tpl_id="notice", args=[], numbers=[PHONE, "+8613800000001", "+8613800000002"])
    fake_aliyun.mode = "ok"
    assert _send(1).provider == "tencent"  # one message, three numbers: volume 3
