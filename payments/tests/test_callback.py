"""POST /pay/callback: verified and decrypted through the SDK, refused and logged when not genuine,
idempotent; the payment's status change and its outbox event commit together."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from payments import services
from payments.models import Payment, PaymentEvent
from payments.tests.fixtures import post_notification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_relay")]

TAMPERING = "payment notification refused (tampering?)"


def _order(amount=1234, biz="test", biz_id=1) -> Payment:
    """An order through the services: stored, then created with the provider (the fake)."""
    pid = services.payment_create(biz=biz, biz_id=biz_id, amount=amount, description="a test order")
    services.payment_prepay(payment_id=pid, site_url="http://testserver/")
    return Payment.objects.get(id=pid)


@pytest.fixture
def paid(wechat):
    order = _order()
    wechat.pay(order.out_trade_no)
    return order


def _state(order):
    order.refresh_from_db()
    return order.status, list(PaymentEvent.objects.filter(payment=order).values_list("kind", "amount", "status"))


def test_a_genuine_notification_settles_the_order_once_with_its_event(client, wechat, paid):
    n = wechat.notification_for(paid.out_trade_no)
    assert post_notification(client, n).status_code == 204
    status, events = _state(paid)
    assert status == "paid"
    assert events == [("paid", 1234, "delivered")]  # relayed at commit; no receiver for biz "test" is needed
    assert paid.transaction_id == wechat.order(paid.out_trade_no).transaction_id
    for _ in range(4):  # WeChat redelivers: nothing new
        assert post_notification(client, n).status_code == 204
    assert _state(paid) == (status, events)


def test_the_same_notification_five_times_at_once_writes_one_event(live_server, wechat, paid):
    n = wechat.notification_for(paid.out_trade_no)
    url = f"{live_server.url}/pay/callback"
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: wechat.deliver(n, url).status_code, range(5)))
    assert answers == [204] * 5
    assert _state(paid) == ("paid", [("paid", 1234, "delivered")])


@pytest.mark.parametrize("tamper", ["forged", "unsigned", "changed_resource", "changed_field", "probe",
                                    "unknown_serial", "stale", "wrong_key", "other_merchant"])
def test_a_notification_that_is_not_genuine_is_refused_logged_and_changes_nothing(client, wechat, paid, tamper, caplog):
    n = wechat.notification_for(paid.out_trade_no)
    bad = {
        "forged": lambda: wechat.forged(n),
        "unsigned": lambda: wechat.unsigned(n),
        "changed_resource": lambda: wechat.with_changed_body(n),  # a genuine resource claiming 100x
        "changed_field": lambda: wechat.with_changed_body(n, lambda p: p.update(event_type="TRANSACTION.X")),
        "probe": lambda: wechat.signature_probe(n),
        "unknown_serial": lambda: type(n)(dict(n.headers, **{"Wechatpay-Serial": "0123ABCD"}), n.body),
        "stale": lambda: wechat.notification_for(paid.out_trade_no, timestamp=1_600_000_000),
        "wrong_key": lambda: wechat.notification_for(paid.out_trade_no, apiv3_key="e" * 32),
        "other_merchant": lambda: wechat.notification_for(paid.out_trade_no, resource_overrides={"mchid": "1900000999"}),
    }[tamper]()
    with caplog.at_level(logging.WARNING, logger="payments"):
        resp = post_notification(client, bad)
    assert resp.status_code == 401 and resp.json()["code"] == "FAIL"
    assert _state(paid) == ("unpaid", [])
    assert any(r.getMessage().startswith(TAMPERING) for r in caplog.records)
    # ... and the genuine one still goes through afterwards.
    assert post_notification(client, n).status_code == 204
    assert _state(paid)[0] == "paid"


def test_a_genuinely_signed_notification_with_another_amount_is_refused_and_logged(client, wechat, paid, caplog):
    n = wechat.notification_for(paid.out_trade_no, amount_total=1)
    with caplog.at_level(logging.WARNING, logger="payments"):
        resp = post_notification(client, n)
    assert resp.status_code == 401
    assert _state(paid) == ("unpaid", [])
    assert [r.getMessage() for r in caplog.records] == [
        f"{TAMPERING}: amount differs from the order {paid.out_trade_no}"]


def test_a_notification_for_an_order_we_never_made_is_refused(client, wechat, paid, caplog):
    Payment.objects.filter(id=paid.id).update(out_trade_no="TB_SOMEONE_ELSE_0001")
    with caplog.at_level(logging.WARNING, logger="payments"):
        resp = post_notification(client, wechat.notification_for(paid.out_trade_no))
    assert resp.status_code == 404
    assert "unknown order" in caplog.text
    assert not PaymentEvent.objects.exists()


def test_a_notification_of_an_unfinished_trade_changes_nothing(client, wechat):
    order = _order()
    wechat.set_state(order.out_trade_no, "USERPAYING")
    assert post_notification(client, wechat.notification_for(order.out_trade_no)).status_code == 204
    assert _state(order) == ("unpaid", [])


def test_callback_takes_post_only_and_needs_no_csrf_token(client, wechat, paid):
    assert client.get("/pay/callback").status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post_notification(strict, wechat.notification_for(paid.out_trade_no)).status_code == 204


def test_callback_without_payments_configured_asks_to_come_back_later(client, settings, wechat, paid):
    settings.WECHATPAY_APIV3_KEY = ""
    assert post_notification(client, wechat.notification_for(paid.out_trade_no)).status_code == 503
    assert _state(paid) == ("unpaid", [])


def test_the_notification_body_is_never_logged_even_with_bodies_on(client, settings, wechat, paid, caplog):
    settings.ACCESS_LOG_BODIES = True
    n = wechat.notification_for(paid.out_trade_no)
    caplog.set_level(logging.DEBUG)
    assert post_notification(client, n).status_code == 204
    assert post_notification(client, wechat.forged(n)).status_code == 401
    text = "\n".join(r.getMessage() + " " + str(getattr(r, "request_body", "")) for r in caplog.records)
    assert "/pay/callback" in text  # the access log line is there ...
    assert n.payload["resource"]["ciphertext"][:24] not in text  # ... without the body
    assert n.payload["id"] not in text
    assert n.headers["Wechatpay-Signature"][:24] not in text


def test_paid_is_final_and_money_taken_after_we_gave_up_is_still_honoured(wechat, paid):
    failed = services._settle(out_trade_no=paid.out_trade_no, paid=False)
    assert failed is not None and _state(paid)[0] == "failed"
    assert services._settle(out_trade_no=paid.out_trade_no, paid=True, amount=1234) is not None
    assert services._settle(out_trade_no=paid.out_trade_no, paid=False) is None  # paid stays paid
    assert [k for k, _a, _s in _state(paid)[1]] == ["failed", "paid"]
