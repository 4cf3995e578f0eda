"""The real wechatpayv3 SDK against the local fake WeChat Pay server: what the SDK checks and what it
leaves to us (payments.providers handles each gap; docs/rewards.md). Adapted from the lab that chose
the SDK; a test failing here after an upgrade means the SDK's behaviour changed under us."""

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import wechatpayv3
from wechatpayv3 import WeChatPay, WeChatPayType

from payments.tests.fake_wechatpay import FakeWeChatPay, RsaIdentity, aead_decrypt
from payments.tests.fixtures import APPID, MCHID, make_client


def new_order(wxpay: WeChatPay, out_trade_no: str, total: int = 100, **kw) -> str:
    code, text = wxpay.pay(description="打赏 · TinyBook article 42", out_trade_no=out_trade_no,
                           amount={"total": total, "currency": "CNY"}, **kw)
    assert code == 200, text
    return json.loads(text)["code_url"]


def test_sdk_version_is_the_one_studied():
    assert wechatpayv3.__version__ == "2.0.4"


# ---- orders ----------------------------------------------------------------------------------

def test_create_native_order_returns_code_url(fake, wxpay):
    code_url = new_order(wxpay, "RWD20250101000001", total=388)

    assert code_url.startswith("weixin://wxpay/bizpayurl?pr=")
    order = fake.order("RWD20250101000001")
    assert (order.amount_total, order.appid, order.mchid) == (388, APPID, MCHID)
    assert order.description == "打赏 · TinyBook article 42"
    assert order.notify_url == "http://127.0.0.1:9/pay/callback"
    last = fake.received[-1]
    assert (last.method, last.path, last.authorized, last.status) == \
        ("POST", "/v3/pay/transactions/native", True, 200)


def test_same_order_twice_gives_same_code_url_and_changed_params_are_refused(fake, wxpay):
    first = new_order(wxpay, "RWD20250101000002", total=100)
    assert new_order(wxpay, "RWD20250101000002", total=100) == first
    code, text = wxpay.pay(description="other", out_trade_no="RWD20250101000002",
                           amount={"total": 999})
    assert code == 400 and json.loads(text)["code"] == "INVALID_REQUEST"


def test_query_follows_the_order_through_its_states(fake, wxpay):
    new_order(wxpay, "RWD20250101000003", total=5)

    code, text = wxpay.query(out_trade_no="RWD20250101000003")
    assert code == 200
    tx = json.loads(text)
    assert (tx["trade_state"], tx["amount"]["total"]) == ("NOTPAY", 5)
    assert "transaction_id" not in tx
    assert fake.received[-1].path == f"/v3/pay/transactions/out-trade-no/RWD20250101000003?mchid={MCHID}"

    paid = fake.pay("RWD20250101000003")
    tx = json.loads(wxpay.query(out_trade_no="RWD20250101000003")[1])
    assert tx["trade_state"] == "SUCCESS"
    assert tx["transaction_id"] == paid.transaction_id
    assert tx["amount"] == {"total": 5, "payer_total": 5, "currency": "CNY", "payer_currency": "CNY"}

    by_id = json.loads(wxpay.query(transaction_id=paid.transaction_id)[1])
    assert by_id["out_trade_no"] == "RWD20250101000003"


def test_close_an_unpaid_order(fake, wxpay):
    new_order(wxpay, "RWD20250101000004")

    code, body = wxpay.close(out_trade_no="RWD20250101000004")
    assert code == 204 and body == b""          # verified signature over an empty body
    assert json.loads(wxpay.query(out_trade_no="RWD20250101000004")[1])["trade_state"] == "CLOSED"


def test_close_a_paid_order_is_refused(fake, wxpay):
    new_order(wxpay, "RWD20250101000005")
    fake.pay("RWD20250101000005")
    code, text = wxpay.close(out_trade_no="RWD20250101000005")
    assert code == 400 and json.loads(text)["code"] == "ORDERPAID"


def test_query_an_unknown_order(wxpay):
    code, text = wxpay.query(out_trade_no="RWD_NO_SUCH_ORDER")
    assert code == 404 and json.loads(text)["code"] == "ORDER_NOT_EXIST"


def test_errors_are_returned_not_raised(fake, wxpay):
    fake.fail_next(500, "SYSTEM_ERROR", "系统繁忙")
    code, text = wxpay.query(out_trade_no="RWD_X00001")
    assert code == 500 and json.loads(text)["code"] == "SYSTEM_ERROR"


# ---- the fake really checks the merchant's signature ------------------------------------------

def test_fake_refuses_a_merchant_signature_made_with_another_key(fake, merchant, apiv3_key):
    impostor = RsaIdentity.generate("impostor")
    client = make_client(fake, merchant, apiv3_key, private_key=impostor.private_key_pem)
    code, text = client.pay(description="x", out_trade_no="RWD_IMPOSTOR", amount={"total": 1})
    assert code == 401 and json.loads(text)["code"] == "SIGN_ERROR"
    assert fake.received[-1].authorized is False
    with pytest.raises(KeyError):
        fake.order("RWD_IMPOSTOR")


def test_fake_refuses_a_replayed_or_altered_request(fake, wxpay):
    """Capture a genuine signed request, then replay it and alter it."""
    sent = {}
    real_post = requests.post

    def spy(url, **kw):
        sent.update(url=url, headers=dict(kw["headers"]), body=json.dumps(kw["json"]))
        return real_post(url, **kw)

    wechatpayv3.core.requests.post = spy
    try:
        new_order(wxpay, "RWD20250101000006", total=10)
    finally:
        wechatpayv3.core.requests.post = real_post

    replay = requests.post(sent["url"], data=sent["body"], headers=sent["headers"], timeout=5)
    assert replay.status_code == 401          # nonce already used
    altered_body = sent["body"].replace('"total": 10', '"total": 1')
    altered = requests.post(sent["url"], data=altered_body, headers=sent["headers"], timeout=5)
    assert altered.status_code == 401         # signature does not cover this body
    assert fake.order("RWD20250101000006").amount_total == 10


def test_fake_refuses_a_merchant_clock_off_by_more_than_five_minutes(fake, wxpay):
    fake.clock = lambda: time.time() + 600
    code, text = wxpay.query(out_trade_no="RWD_X00002")
    assert code == 401 and "5分钟" in json.loads(text)["message"]


# ---- the SDK really checks the platform's signature on answers ----------------------------------

def test_sdk_raises_on_an_answer_signed_with_the_wrong_key(fake, wxpay):
    fake.bad_response_signature = True
    with pytest.raises(Exception, match="failed to verify the signature"):
        wxpay.pay(description="x", out_trade_no="RWD20250101000007", amount={"total": 1})


def test_sdk_does_not_verify_non_2xx_answers(fake, wxpay):
    fake.bad_response_signature = True
    code, _ = wxpay.query(out_trade_no="RWD_NO_SUCH_ORDER")
    assert code == 404                        # returned as is: treat 4xx/5xx text as untrusted


# ---- notifications ------------------------------------------------------------------------------

@pytest.fixture
def wxpay(fake, merchant, apiv3_key) -> WeChatPay:
    return make_client(fake, merchant, apiv3_key)


@pytest.fixture
def paid_order(fake, wxpay):
    new_order(wxpay, "RWD20250101000100", total=1234)
    return fake.pay("RWD20250101000100")


def test_callback_accepts_a_genuine_notification(fake, wxpay, paid_order):
    n = fake.notification_for(paid_order.out_trade_no)

    result = wxpay.callback(n.headers, n.body.encode())

    assert result["event_type"] == "TRANSACTION.SUCCESS"
    assert result["resource_type"] == "encrypt-resource"
    res = result["resource"]
    assert res["out_trade_no"] == "RWD20250101000100"
    assert res["transaction_id"] == paid_order.transaction_id
    assert res["trade_state"] == "SUCCESS"
    assert res["amount"]["total"] == 1234
    assert (res["mchid"], res["appid"]) == (MCHID, APPID)
    # decrypt_callback returns the decrypted resource as a string
    assert json.loads(wxpay.decrypt_callback(n.headers, n.body)) == res


def test_callback_accepts_django_meta_headers(fake, wxpay, paid_order):
    n = fake.notification_for(paid_order.out_trade_no)
    assert wxpay.callback(n.django_meta(), n.body.encode())["resource"]["trade_state"] == "SUCCESS"


def test_callback_refuses_a_forged_signature(fake, wxpay, paid_order):
    n = fake.forged(fake.notification_for(paid_order.out_trade_no))
    assert wxpay.callback(n.headers, n.body.encode()) is None


def test_callback_raises_on_an_unsigned_notification(fake, wxpay, paid_order):
    """The SDK does not return None here: no Wechatpay-Signature-Type header makes it raise."""
    n = fake.unsigned(fake.notification_for(paid_order.out_trade_no))
    with pytest.raises(Exception, match="does not support this algorithm"):
        wxpay.callback(n.headers, n.body.encode())


def test_callback_without_a_serial_is_refused_after_a_certificate_download(fake, wxpay, paid_order):
    """Public-key mode: '' is not the key id, the certificate list is empty, so the SDK downloads
    /v3/certificates (500 here, as for a public-key merchant) and returns None. In certificate
    mode the same header would reach int('0x' + serial, 16) and raise ValueError."""
    n = fake.notification_for(paid_order.out_trade_no)
    headers = {k: v for k, v in n.headers.items() if k != "Wechatpay-Serial"}
    before = len(fake.received)
    assert wxpay.callback(headers, n.body.encode()) is None
    assert [r.path for r in fake.received[before:]] == ["/v3/certificates"]


def test_callback_refuses_a_replay_with_a_swapped_resource(fake, wxpay, paid_order):
    genuine = fake.notification_for(paid_order.out_trade_no)
    tampered = fake.with_changed_body(genuine)   # resource re-encrypted claiming 100x the amount
    assert json.loads(aead_decrypt(fake.apiv3_key, tampered.payload["resource"]))["amount"]["total"] == 123400
    assert wxpay.callback(tampered.headers, tampered.body.encode()) is None


def test_callback_refuses_a_replay_with_a_changed_plain_field(fake, wxpay, paid_order):
    genuine = fake.notification_for(paid_order.out_trade_no)
    tampered = fake.with_changed_body(genuine, lambda p: p.update(event_type="TRANSACTION.SUCCESS ",
                                                                   summary="x"))
    assert wxpay.callback(tampered.headers, tampered.body.encode()) is None


def test_callback_refuses_the_signature_probe(fake, wxpay, paid_order):
    n = fake.signature_probe(fake.notification_for(paid_order.out_trade_no))
    assert wxpay.callback(n.headers, n.body.encode()) is None


def test_callback_returns_none_when_the_apiv3_key_is_wrong(fake, wxpay, paid_order):
    n = fake.notification_for(paid_order.out_trade_no, apiv3_key="0" * 32)
    assert wxpay.callback(n.headers, n.body.encode()) is None


def test_callback_accepts_a_genuinely_signed_wrong_amount__the_app_must_compare(fake, wxpay, paid_order):
    n = fake.notification_for(paid_order.out_trade_no, amount_total=1)
    assert wxpay.callback(n.headers, n.body.encode())["resource"]["amount"]["total"] == 1


def test_callback_does_not_check_the_timestamp__the_app_must(fake, wxpay, paid_order):
    day_old = int(time.time()) - 86400
    n = fake.notification_for(paid_order.out_trade_no, timestamp=day_old)
    assert n.headers["Wechatpay-Timestamp"] == str(day_old)
    assert wxpay.callback(n.headers, n.body.encode())["resource"]["trade_state"] == "SUCCESS"


def test_callback_accepts_the_same_notification_any_number_of_times(fake, wxpay, paid_order):
    n = fake.notification_for(paid_order.out_trade_no)
    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(lambda _: wxpay.callback(n.headers, n.body.encode()), range(5)))
    assert all(r["resource"]["transaction_id"] == paid_order.transaction_id for r in results)


def test_unknown_serial_in_public_key_mode_makes_the_sdk_call_v3_certificates(fake, wxpay, paid_order):
    """Why our wrapper checks Wechatpay-Serial before calling the SDK: a forged notification with
    another serial makes the SDK download certificates from the gateway (the real one in prod)."""
    n = fake.notification_for(paid_order.out_trade_no)
    headers = dict(n.headers, **{"Wechatpay-Serial": "ABCDEF0123"})
    before = len(fake.received)
    assert wxpay.callback(headers, n.body.encode()) is None
    calls = [r for r in fake.received[before:]]
    assert [(r.method, r.path, r.status) for r in calls] == [("GET", "/v3/certificates", 500)]


# ---- platform-certificate mode ------------------------------------------------------------------

def test_certificate_mode_with_download_on_rotation(merchant, apiv3_key, tmp_path):
    platform = RsaIdentity.generate("fake platform (cert mode)")
    with FakeWeChatPay(mchid=MCHID, appid=APPID, apiv3_key=apiv3_key, merchant=merchant.certificate,
                       platform=platform, mode="certificate") as fake:
        # The constructor loads certificates from cert_dir; only if none is valid does it download
        # them, from the hard-coded gateway. Seed cert_dir so the constructor makes no request.
        (tmp_path / f"{platform.serial_hex}.pem").write_text(platform.certificate_pem)
        client = WeChatPay(wechatpay_type=WeChatPayType.NATIVE, mchid=MCHID,
                           private_key=merchant.private_key_pem, cert_serial_no=merchant.serial_hex,
                           appid=APPID, apiv3_key=apiv3_key, notify_url="http://127.0.0.1:9/cb",
                           cert_dir=str(tmp_path), timeout=(2, 5))
        client._core._gate_way = fake.base_url
        new_order(client, "RWD20250101000300")
        assert fake.received[-1].authorized

        rotated = fake.rotate_platform_certificate()
        code, _ = client.query(out_trade_no="RWD20250101000300")   # signed with an unknown serial
        assert code == 200
        assert ("GET", "/v3/certificates") in [(r.method, r.path) for r in fake.received]
        assert (tmp_path / f"{rotated.serial_hex}.pem").exists()   # decrypted with the APIv3 key

        fake.pay("RWD20250101000300")
        n = fake.notification_for("RWD20250101000300")
        assert n.headers["Wechatpay-Serial"] == rotated.serial_hex
        assert client.callback(n.headers, n.body)["resource"]["trade_state"] == "SUCCESS"
        with pytest.raises(ValueError):       # int('0x' + serial, 16) on a non-hex serial
            client.callback(dict(n.headers, **{"Wechatpay-Serial": "PUB_KEY_ID_X"}), n.body)


def test_certificate_mode_without_cert_dir_calls_the_real_host_in_the_constructor(
        merchant, apiv3_key, monkeypatch):
    urls = []

    def no_network(url, **kw):
        urls.append(url)
        raise requests.ConnectionError("blocked in tests")

    monkeypatch.setattr(wechatpayv3.core.requests, "get", no_network)
    with pytest.raises(requests.ConnectionError):
        WeChatPay(wechatpay_type=WeChatPayType.NATIVE, mchid=MCHID,
                  private_key=merchant.private_key_pem, cert_serial_no=merchant.serial_hex,
                  appid=APPID, apiv3_key=apiv3_key)
    assert urls == ["https://api.mch.weixin.qq.com/v3/certificates"]


def test_public_key_mode_constructor_makes_no_request(fake, merchant, apiv3_key, monkeypatch):
    def no_network(*a, **kw):
        raise AssertionError("no request expected")
    monkeypatch.setattr(wechatpayv3.core.requests, "get", no_network)
    monkeypatch.setattr(wechatpayv3.core.requests, "post", no_network)
    make_client(fake, merchant, apiv3_key)


# ---- timeouts and failures -----------------------------------------------------------------------

def test_server_down_raises_connection_error(merchant, platform, apiv3_key):
    fake = FakeWeChatPay(mchid=MCHID, appid=APPID, apiv3_key=apiv3_key,
                         merchant=merchant.certificate, platform=platform).start()
    client = make_client(fake, merchant, apiv3_key)
    fake.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        client.query(out_trade_no="RWD_X00003")


def test_slow_server_raises_read_timeout(fake, merchant, apiv3_key):
    client = make_client(fake, merchant, apiv3_key, timeout=(1, 0.3))
    fake.delay_seconds = 1.0
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.query(out_trade_no="RWD_X00004")
    assert time.monotonic() - started < 0.9


# ---- threads ----------------------------------------------------------------------------------------

def test_one_client_shared_by_many_threads(fake, wxpay):
    def work(i: int) -> str:
        no = f"RWDT{i:08d}"
        new_order(wxpay, no, total=i + 1)
        if i % 2:
            fake.pay(no)
        return json.loads(wxpay.query(out_trade_no=no)[1])["trade_state"]

    with ThreadPoolExecutor(8) as pool:
        states = list(pool.map(work, range(40)))
    assert states == ["NOTPAY", "SUCCESS"] * 20
    assert all(r.authorized for r in fake.received)


# ---- logging ---------------------------------------------------------------------------------------

def secrets_of(fake, merchant, apiv3_key, n) -> list[str]:
    key_body = merchant.private_key_pem.splitlines()[5]
    return [key_body, merchant.serial_hex, fake.public_key_id, apiv3_key, n.body,
            n.payload["resource"]["ciphertext"], n.headers["Wechatpay-Signature"][:40]]


def test_sdk_logs_nothing_without_a_logger(fake, wxpay, merchant, apiv3_key, caplog):
    caplog.set_level(logging.DEBUG)           # every logger, urllib3 included, at DEBUG
    new_order(wxpay, "RWD20250101000400")
    fake.pay("RWD20250101000400")
    wxpay.query(out_trade_no="RWD20250101000400")
    n = fake.notification_for("RWD20250101000400")
    wxpay.callback(n.headers, n.body)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.name.startswith("wechatpayv3")]
    for secret in secrets_of(fake, merchant, apiv3_key, n):
        assert secret not in text
    # urllib3 at DEBUG would log the request line (with our order number); our LOGGING keeps it at INFO.
    assert "RWD20250101000400?mchid=" not in text


def test_sdk_with_a_debug_logger_leaks_serials_and_bodies(fake, merchant, apiv3_key, caplog):
    leaky = logging.getLogger("lab.wechatpay.leaky")
    client = make_client(fake, merchant, apiv3_key, logger=leaky)
    caplog.set_level(logging.DEBUG, logger="lab.wechatpay.leaky")
    new_order(client, "RWD20250101000500")
    fake.pay("RWD20250101000500")
    n = fake.notification_for("RWD20250101000500")
    client.callback(n.headers, n.body)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert merchant.serial_hex in text        # Authorization header, "Request headers: ..."
    assert fake.public_key_id in text         # Wechatpay-Serial, "Response headers: ..."
    assert n.body in text                     # "Callback body: ..."
    assert '"payer":{"openid"' in text        # "Callback result: ..." (decrypted resource)
    assert apiv3_key not in text and merchant.private_key_pem.splitlines()[5] not in text
    # ...and at INFO it logs nothing: every SDK log call is .debug()
    caplog.clear()
    caplog.set_level(logging.INFO, logger="lab.wechatpay.leaky")
    client.query(out_trade_no="RWD20250101000500")
    assert not caplog.records
