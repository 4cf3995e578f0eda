"""Operations: metrics on /metrics, the system checks, manage.py payments_sync."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from accounts import services as accounts
from payments import checks, services
from payments.models import Payment
from payments.tests.fixtures import post_notification
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_relay")]


def _sample(client, name, labels=""):
    text = client.get("/metrics").content.decode()
    match = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def _order(amount=100, biz_id=1) -> Payment:
    pid = services.payment_create(biz="test", biz_id=biz_id, amount=amount, description="x")
    services.payment_prepay(payment_id=pid, site_url="http://testserver/")
    return Payment.objects.get(id=pid)


def test_orders_by_status_outbox_depth_lag_and_notifications_are_exported(client, wechat):
    refused = '{outcome="refused"}'
    before = _sample(client, "tinybook_payment_notifications_total", refused) or 0
    delivered = _sample(client, "tinybook_payment_relay_deliveries_total", '{outcome="delivered"}') or 0
    paid, waiting = _order(biz_id=1), _order(biz_id=2)
    wechat.pay(paid.out_trade_no)
    n = wechat.notification_for(paid.out_trade_no)
    post_notification(client, wechat.forged(n))
    post_notification(client, n)
    assert _sample(client, "tinybook_payment_orders", '{status="paid"}') == 1
    assert _sample(client, "tinybook_payment_orders", '{status="unpaid"}') == 1
    assert _sample(client, "tinybook_payment_orders", '{status="failed"}') == 0
    assert _sample(client, "tinybook_payment_notifications_total", refused) == before + 1
    assert _sample(client, "tinybook_payment_relay_deliveries_total", '{outcome="delivered"}') == delivered + 1
    assert _sample(client, "tinybook_payment_outbox_depth") == 0
    assert _sample(client, "tinybook_payment_outbox_lag_seconds") == 0
    # An event nobody relays: the depth and the age of the oldest show it.
    services._settle(out_trade_no=waiting.out_trade_no, paid=False)
    assert _sample(client, "tinybook_payment_outbox_depth") == 1
    assert _sample(client, "tinybook_payment_outbox_lag_seconds") >= 0


def test_credits_are_counted(client):
    before = _sample(client, "tinybook_account_credits_total", '{biz="test"}') or 0
    fen = _sample(client, "tinybook_account_credited_fen_total", '{biz="test",side="user"}') or 0
    accounts.account_credit(biz="test", biz_id=1, amount=10, payee_id=UserFactory.create().id, channel="dev",
                            platform_share=Decimal("0.1"))
    assert _sample(client, "tinybook_account_credits_total", '{biz="test"}') == before + 1
    assert _sample(client, "tinybook_account_credited_fen_total", '{biz="test",side="user"}') == fen + 9


@pytest.mark.parametrize("overrides, error", [
    ({"PAYMENT_PROVIDER": "paypal"}, "payments.E001"),
    ({"WECHATPAY_APIV3_KEY": ""}, "payments.E002"),
    ({"WECHATPAY_APIV3_KEY": "short"}, "payments.E003"),
    ({"WECHATPAY_NOTIFY_URL": "http://tinybook.example/pay/callback"}, "payments.E004"),
    ({"WECHATPAY_NOTIFY_URL": "https://tinybook.example/pay/callback?x=1"}, "payments.E004"),
    ({"WECHATPAY_PUBLIC_KEY_FILE": "/nonexistent/key.pem"}, "payments.E005"),
])
def test_a_setup_that_cannot_work_is_refused_at_start(settings, wechat, overrides, error):
    assert checks.payments_settings_check(None) == []
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert [e.id for e in checks.payments_settings_check(None)] == [error]


def test_wechat_left_unconfigured_is_not_an_error(settings):
    settings.PAYMENT_PROVIDER = "wechat"
    for name in ("WECHATPAY_MCHID", "WECHATPAY_APPID", "WECHATPAY_NOTIFY_URL", "WECHATPAY_PRIVATE_KEY_FILE",
                 "WECHATPAY_MERCHANT_SERIAL_KEY", "WECHATPAY_APIV3_KEY", "WECHATPAY_PUBLIC_KEY_FILE",
                 "WECHATPAY_PUBLIC_KEY_ID"):
        setattr(settings, name, "")
    assert checks.payments_settings_check(None) == []


def test_payments_sync_command_settles_and_relays(wechat, settings):
    settings.PAYMENT_SYNC_DELAY = 0
    order = _order()
    wechat.pay(order.out_trade_no)
    out = StringIO()
    call_command("payments_sync", stdout=out)
    assert "orders: 1 paid" in out.getvalue()
    assert Payment.objects.get(id=order.id).status == "paid"
