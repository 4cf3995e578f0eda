"""Reward → order → notification → outbox → credit, with the real SDK against the fake WeChat Pay:
the author is credited exactly once, with the order's amount, whatever arrives."""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Credit, Entry
from conftest import login_client
from payments import outbox, services
from payments.models import Payment, PaymentEvent
from payments.tests.fixtures import post_notification
from rewards.models import Reward
from rewards.tests.helpers import balances, detail, ledger_holds, order_of, reward

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_relay")]


@pytest.fixture
def rewarded(wechat, reader_api, article):
    """A reward of 999,999 fen whose order WeChat Pay (the fake) holds; the payer has paid."""
    r = reward(reader_api, article, 999_999)
    assert r["code"] == 0, r
    assert r["data"]["codeURL"].startswith("weixin://wxpay/bizpayurl?pr=")
    rid = r["data"]["rid"]
    no = order_of(rid).out_trade_no
    assert wechat.order(no).amount_total == 999_999
    wechat.pay(no)
    return rid, no


def _credited_once(author, rid):
    assert Credit.objects.filter(biz="reward", biz_id=rid).count() == 1
    assert balances() == {f"user:{author.id}": 900_000, "platform": 99_999, "channel:wechat": -999_999}
    assert ledger_holds()


def test_paid_notification_makes_the_reward_paid_and_credits_the_author(client, wechat, reader_api, author, rewarded):
    rid, no = rewarded
    assert detail(reader_api, rid)["data"] == "RewardStatusInit"
    assert post_notification(client, wechat.notification_for(no)).status_code == 204
    assert detail(reader_api, rid)["data"] == "RewardStatusPayed"
    _credited_once(author, rid)
    assert login_client(author).get("/accounts/me").json()["data"] == {
        "balance": 900_000, "credited": 900_000, "rewardCnt": 1}


def test_the_same_genuine_notification_five_times_then_five_at_once_credits_once(
        live_server, client, wechat, author, rewarded):
    rid, no = rewarded
    n = wechat.notification_for(no)
    for _ in range(5):
        assert post_notification(client, n).status_code == 204
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: wechat.deliver(n, f"{live_server.url}/pay/callback").status_code, range(5)))
    assert answers == [204] * 5
    assert Reward.objects.get(id=rid).status == Reward.Status.PAYED
    assert PaymentEvent.objects.count() == 1
    _credited_once(author, rid)


def test_five_genuine_notifications_at_once_on_an_unpaid_order_credit_once(live_server, wechat, author, rewarded):
    rid, no = rewarded
    notices = [wechat.notification_for(no) for _ in range(5)]  # five distinct deliveries (ids, nonces)
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda n: wechat.deliver(n, f"{live_server.url}/pay/callback").status_code, notices))
    assert answers == [204] * 5
    _credited_once(author, rid)


def test_a_notification_with_another_amount_is_refused_and_credits_nothing(client, wechat, reader_api, rewarded, caplog):
    rid, no = rewarded
    with caplog.at_level(logging.WARNING, logger="payments"):
        assert post_notification(client, wechat.notification_for(no, amount_total=1)).status_code == 401
        assert post_notification(client, wechat.with_changed_body(wechat.notification_for(no))).status_code == 401
    assert detail(reader_api, rid)["data"] == "RewardStatusInit"
    assert not Credit.objects.exists() and balances() == {}
    assert f"amount differs from the order {no}" in caplog.text


def test_the_amount_credited_is_the_orders_even_if_the_reward_row_was_changed(client, wechat, author, rewarded, caplog):
    """Nothing but the order's amount is ever credited: a reward whose amount no longer matches
    its order is not credited (reconcile_rewards reports it)."""
    rid, no = rewarded
    Reward.objects.filter(id=rid).update(amount=5)
    with caplog.at_level(logging.ERROR, logger="rewards"):
        assert post_notification(client, wechat.notification_for(no)).status_code == 204
    assert not Credit.objects.exists()
    assert "differs" in caplog.text


def test_a_lost_notification_is_made_good_by_the_beat_task(wechat, reader_api, author, rewarded, settings):
    rid, _no = rewarded
    Payment.objects.filter(biz_id=rid).update(next_check_at=timezone.now())
    assert services.payment_sync_due() == {"paid": 1}
    assert detail(reader_api, rid)["data"] == "RewardStatusPayed"
    _credited_once(author, rid)


def test_an_unpaid_reward_fails_once_its_order_expires(wechat, reader_api, article):
    rid = reward(reader_api, article, 300)["data"]["rid"]
    Payment.objects.filter(biz_id=rid).update(expires_at=timezone.now() - timedelta(seconds=1),
                                              next_check_at=timezone.now())
    assert services.payment_sync_due() == {"closed": 1}
    assert detail(reader_api, rid)["data"] == "RewardStatusFailed"
    assert wechat.order(order_of(rid).out_trade_no).trade_state == "CLOSED"
    assert not Credit.objects.exists()


def test_a_redelivered_event_credits_once(client, wechat, author, rewarded):
    rid, no = rewarded
    post_notification(client, wechat.notification_for(no))
    # The relay died after the receivers committed but before its acknowledgement was written:
    PaymentEvent.objects.update(status=PaymentEvent.Status.PENDING, next_attempt_at=timezone.now())
    assert outbox.outbox_sweep() == 1
    assert PaymentEvent.objects.get().status == PaymentEvent.Status.DELIVERED
    _credited_once(author, rid)
    assert Entry.objects.count() == 3


def test_no_key_serial_or_notification_body_in_any_log_line(
        client, settings, wechat, merchant, apiv3_key, reader_api, article, author, caplog):
    settings.ACCESS_LOG_BODIES = True
    caplog.set_level(logging.DEBUG)
    r = reward(reader_api, article, 1234)
    rid = r["data"]["rid"]
    no = order_of(rid).out_trade_no
    paid = wechat.pay(no)
    n = wechat.notification_for(no)
    for bad in (wechat.forged(n), wechat.unsigned(n), wechat.with_changed_body(n),
                wechat.notification_for(no, amount_total=1), wechat.signature_probe(n)):
        post_notification(client, bad)
    post_notification(client, n)
    post_notification(client, n)
    detail(reader_api, rid)
    Payment.objects.update(next_check_at=timezone.now(), status="unpaid")
    services.payment_sync_due()
    assert Reward.objects.get(id=rid).status == Reward.Status.PAYED

    lines = [r.getMessage() + " " + " ".join(str(v) for k, v in r.__dict__.items() if k.endswith("_body"))
             for r in caplog.records]
    text = "\n".join(lines)
    assert "payment notification refused (tampering?)" in text  # the refusals are there
    secrets_ = {
        "private key": merchant.private_key_pem.splitlines()[5],
        "merchant serial": merchant.serial_hex,
        "public key id": wechat.public_key_id,
        "public key": wechat.platform_public_key_pem.splitlines()[2],
        "apiv3 key": apiv3_key,
        "notification body": n.body[:60],
        "ciphertext": n.payload["resource"]["ciphertext"][:32],
        "signature": n.headers["Wechatpay-Signature"][:32],
        "notification id": n.payload["id"],
        "payer openid": paid.payer_openid,
    }
    leaked = [name for name, value in secrets_.items() if value in text]
    assert leaked == []
