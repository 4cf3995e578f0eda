"""payments.providers against the fake: each gap the SDK leaves is closed by our wrapper."""

import logging
import time

import pytest

from payments import providers
from payments.providers import NotificationRejected, ProviderRejected, ProviderUnavailable, get_provider
from payments.tests.fake_wechatpay import FakeWeChatPay
from payments.tests.fixtures import APPID, MCHID

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(wechat) -> providers.WeChatPayProvider:
    return get_provider()


def _order(provider, no="TB250101000000000000000000000001", amount=999_999):
    provider.create_native(out_trade_no=no, amount_fen=amount, description="打赏",
                           time_expire="2030-01-01T00:00:00+08:00", site_url="http://x/")
    return no


@pytest.fixture
def paid(fake, provider):
    return fake.pay(_order(provider))


def test_the_configured_sdk_talks_to_the_base_url_with_timeouts_and_no_logger(fake, provider):
    core = provider._client._core
    assert core._gate_way == fake.base_url  # WECHATPAY_BASE_URL, not the hard-coded gateway
    assert core._timeout == (2.0, 5.0)  # the SDK's default is no timeout at all
    assert core._logger is None  # with a logger it writes serials and bodies at DEBUG


def test_order_lifecycle(fake, provider):
    no = "TB250101000000000000000000000002"
    url = provider.create_native(out_trade_no=no, amount_fen=3, description="打赏",
                                 time_expire="2030-01-01T00:00:00+08:00", site_url="http://x/")
    assert url.startswith("weixin://")
    assert fake.order(no).time_expire == "2030-01-01T00:00:00+08:00"
    st = provider.query(no)
    assert (st.trade_state, st.amount_total, st.transaction_id) == ("NOTPAY", 3, None)
    provider.close(no)
    assert provider.query(no).trade_state == "CLOSED"


def test_genuine_notification(fake, provider, paid):
    n = fake.notification_for(paid.out_trade_no)
    notice = provider.parse_notification(n.headers, n.body.encode())
    assert (notice.out_trade_no, notice.transaction_id, notice.trade_state, notice.amount_total) == \
        (paid.out_trade_no, paid.transaction_id, "SUCCESS", 999_999)
    assert provider.parse_notification(n.django_meta(), n.body.encode()) == notice  # request.META too


@pytest.mark.parametrize("make_bad, reason", [
    (lambda f, n: f.forged(n), "bad signature or undecryptable resource"),
    (lambda f, n: f.unsigned(n), "unsigned"),
    (lambda f, n: f.with_changed_body(n), "bad signature or undecryptable resource"),
    (lambda f, n: f.with_changed_body(n, lambda p: p.update(summary="x")), "bad signature or undecryptable resource"),
    (lambda f, n: f.signature_probe(n), "signature probe"),
    (lambda f, n: type(n)(dict(n.headers, **{"Wechatpay-Serial": "ABCDEF"}), n.body), "unknown serial"),
    (lambda f, n: type(n)(dict(n.headers, **{"Wechatpay-Signature-Type": "X"}), n.body), "unknown signature type"),
    (lambda f, n: type(n)(dict(n.headers, **{"Wechatpay-Timestamp": "soon"}), n.body), "bad timestamp"),
])
def test_bad_notifications_are_refused_and_logged_without_calling_out(fake, provider, paid, make_bad, reason, caplog):
    bad = make_bad(fake, fake.notification_for(paid.out_trade_no))
    before = len(fake.received)
    with caplog.at_level(logging.WARNING, logger="payments"), pytest.raises(NotificationRejected) as exc:
        provider.parse_notification(bad.headers, bad.body.encode())
    assert exc.value.reason == reason
    assert len(fake.received) == before  # no outbound call (an unknown serial: no /v3/certificates)
    assert [r.getMessage() for r in caplog.records] == [f"payment notification refused (tampering?): {reason}"]


def test_stale_notification_is_refused_though_the_sdk_would_take_it(fake, provider, paid, settings):
    settings.PAYMENT_NOTIFY_MAX_SKEW = 300
    n = fake.notification_for(paid.out_trade_no, timestamp=int(time.time()) - 301)
    with pytest.raises(NotificationRejected, match="skew"):
        provider.parse_notification(n.headers, n.body.encode())
    assert provider._client.callback(n.headers, n.body.encode())  # the SDK alone accepts it


def test_wrong_apiv3_key_and_another_merchant_are_refused(fake, provider, paid):
    n = fake.notification_for(paid.out_trade_no, apiv3_key="f" * 32)
    with pytest.raises(NotificationRejected, match="undecryptable"):
        provider.parse_notification(n.headers, n.body.encode())
    n = fake.notification_for(paid.out_trade_no, resource_overrides={"mchid": "1900000999"})
    with pytest.raises(NotificationRejected, match="merchant"):
        provider.parse_notification(n.headers, n.body.encode())


def test_errors_map_to_provider_errors(fake, merchant, platform, apiv3_key, provider, settings):
    with pytest.raises(ProviderRejected) as exc:
        provider.query("TB_NO_SUCH_ORDER")
    assert (exc.value.status, exc.value.code) == (404, "ORDER_NOT_EXIST")

    fake.fail_next(500)
    with pytest.raises(ProviderUnavailable, match="status 500"):
        provider.query("TB_X000000003")

    fake.bad_response_signature = True
    with pytest.raises(ProviderUnavailable, match="not trusted"):
        _order(provider, "TB_X000000004", 1)
    fake.bad_response_signature = False

    settings.WECHATPAY_READ_TIMEOUT = 0.2
    fake.delay_seconds = 0.6
    with pytest.raises(ProviderUnavailable, match="ReadTimeout"):
        get_provider().query("TB_X000000005")
    fake.delay_seconds = 0

    down = FakeWeChatPay(mchid=MCHID, appid=APPID, apiv3_key=apiv3_key, merchant=merchant.certificate,
                         platform=platform).start()
    settings.WECHATPAY_BASE_URL = down.base_url
    down.stop()
    with pytest.raises(ProviderUnavailable, match="ConnectionError"):
        get_provider().query("TB_X000000006")


def test_incomplete_configuration_is_not_configured(settings, wechat, tmp_path):
    settings.WECHATPAY_APIV3_KEY = ""
    with pytest.raises(providers.NotConfigured):
        get_provider()
    settings.WECHATPAY_APIV3_KEY = "0" * 32
    settings.WECHATPAY_PRIVATE_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(providers.NotConfigured):
        get_provider()
    (tmp_path / "garbage.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n")
    settings.WECHATPAY_PRIVATE_KEY_FILE = str(tmp_path / "garbage.pem")
    with pytest.raises(providers.NotConfigured):
        get_provider()


def test_nothing_secret_in_any_log_line(fake, provider, merchant, apiv3_key, paid, caplog):
    caplog.set_level(logging.DEBUG)
    n = fake.notification_for(paid.out_trade_no)
    provider.parse_notification(n.headers, n.body.encode())
    for bad in (fake.forged(n), fake.unsigned(n), fake.with_changed_body(n)):
        with pytest.raises(NotificationRejected):
            provider.parse_notification(bad.headers, bad.body.encode())
    provider.query(paid.out_trade_no)
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (merchant.private_key_pem.splitlines()[5], merchant.serial_hex, fake.public_key_id, apiv3_key,
                   n.body, n.payload["resource"]["ciphertext"], n.headers["Wechatpay-Signature"][:40],
                   paid.payer_openid):
        assert secret not in text


def test_dev_provider_round_trip_and_forgery(settings):
    settings.PAYMENT_PROVIDER = "dev"
    dev = get_provider()
    assert dev.create_native(out_trade_no="TB0001", amount_fen=5, description="打赏", time_expire="",
                             site_url="http://127.0.0.1:8000/") == "http://127.0.0.1:8000/pay/dev/TB0001"
    from payments import services

    pid = services.payment_create(biz="test", biz_id=1, amount=5, description="x")
    from payments.models import Payment

    no = Payment.objects.get(id=pid).out_trade_no
    headers, body = dev.complete(no, paid=True)
    notice = dev.parse_notification(headers, body)
    assert (notice.trade_state, notice.amount_total) == ("SUCCESS", 5)
    with pytest.raises(NotificationRejected, match="bad signature"):
        dev.parse_notification(headers, body.replace(b'"amount_total": 5', b'"amount_total": 500'))
    with pytest.raises(NotificationRejected, match="unsigned"):
        dev.parse_notification({}, body)
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    assert dev.parse_notification(meta, body) == notice
    settings.SECRET_KEY = "another-fake-secret-key-for-this-test-only-000000000000"
    with pytest.raises(NotificationRejected, match="bad signature"):
        get_provider().parse_notification(headers, body)  # signed with the old key
