"""Shared payment test fixtures (imported by the conftest of payments, accounts and rewards tests).

Key material is generated once per session (RSA-2048 and self-signed certificates, nothing
real); a fresh fake WeChat Pay server per test. ``wechat`` points the project's settings at the
fake, so the real ``wechatpayv3`` SDK talks to it; ``dev`` selects the development provider.
"""

import secrets
import threading
from typing import Any

import pytest
from wechatpayv3 import WeChatPay, WeChatPayType

from payments.tests.fake_wechatpay import FakeWeChatPay, Notification, RsaIdentity
from tinybook.celery import app as celery_app

MCHID = "1900000001"  # obviously fake
APPID = "wx00000000000fake"  # obviously fake
PUBLIC_KEY_ID = "PUB_KEY_ID_0000FAKE000000000000000001"
NOTIFY_URL = "https://tinybook.example/pay/callback"


@pytest.fixture(scope="session")
def merchant() -> RsaIdentity:
    return RsaIdentity.generate("TinyBook fake merchant")


@pytest.fixture(scope="session")
def platform() -> RsaIdentity:
    return RsaIdentity.generate("fake WeChat Pay platform")


@pytest.fixture(scope="session")
def apiv3_key() -> str:
    return secrets.token_hex(16)  # 32 ASCII characters = the 32-byte AES key


@pytest.fixture
def fake(merchant, platform, apiv3_key):
    with FakeWeChatPay(mchid=MCHID, appid=APPID, apiv3_key=apiv3_key, merchant=merchant.certificate,
                       platform=platform, public_key_id=PUBLIC_KEY_ID) as server:
        yield server


def wechat_settings(fake: FakeWeChatPay, merchant: RsaIdentity, apiv3_key: str, key_dir) -> dict[str, str]:
    """The settings (environment variables, for a worker process) of a merchant talking to ``fake``."""
    private, public = key_dir / "apiclient_key.pem", key_dir / "wechatpay_public_key.pem"
    private.write_text(merchant.private_key_pem)
    public.write_text(fake.platform_public_key_pem)
    return {
        "PAYMENT_PROVIDER": "wechat",
        "WECHATPAY_BASE_URL": fake.base_url,
        "WECHATPAY_MCHID": MCHID,
        "WECHATPAY_APPID": APPID,
        "WECHATPAY_NOTIFY_URL": NOTIFY_URL,
        "WECHATPAY_PRIVATE_KEY_FILE": str(private),
        "WECHATPAY_MERCHANT_SERIAL_KEY": merchant.serial_hex,
        "WECHATPAY_APIV3_KEY": apiv3_key,
        "WECHATPAY_PUBLIC_KEY_FILE": str(public),
        "WECHATPAY_PUBLIC_KEY_ID": fake.public_key_id,
    }


@pytest.fixture
def wechat(settings, fake, merchant, apiv3_key, tmp_path):
    """The project configured for WeChat Pay, against ``fake`` (returned)."""
    for name, value in wechat_settings(fake, merchant, apiv3_key, tmp_path).items():
        setattr(settings, name, value)
    settings.WECHATPAY_CONNECT_TIMEOUT, settings.WECHATPAY_READ_TIMEOUT = 2.0, 5.0
    return fake


@pytest.fixture
def dev(settings):
    settings.PAYMENT_PROVIDER = "dev"


@pytest.fixture
def eager_relay():
    """The relay runs when the payment commits, in this process (the embedded profile's mode),
    whatever the profile: no message is left on a shared broker."""
    old = celery_app.conf.task_always_eager
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = old


def make_client(fake: FakeWeChatPay, merchant: RsaIdentity, apiv3_key: str, *,
                notify_url: str = "http://127.0.0.1:9/pay/callback", **overrides: Any) -> WeChatPay:
    """The bare SDK in public-key mode, pointed at the fake (for the SDK's own tests)."""
    kwargs: dict[str, Any] = dict(
        wechatpay_type=WeChatPayType.NATIVE, mchid=MCHID, private_key=merchant.private_key_pem,
        cert_serial_no=merchant.serial_hex, appid=APPID, apiv3_key=apiv3_key, notify_url=notify_url,
        public_key=fake.platform_public_key_pem, public_key_id=fake.public_key_id, timeout=(2, 5))
    kwargs.update(overrides)
    client = WeChatPay(**kwargs)
    assert client._core._gate_way == "https://api.mch.weixin.qq.com"
    client._core._gate_way = fake.base_url
    return client


def post_notification(client, n: Notification):
    """POST a notification to /pay/callback with Django's test client, headers as WeChat sends them."""
    return client.post("/pay/callback", data=n.body, content_type="application/json",
                       headers={k: v for k, v in n.headers.items() if k != "Content-Type"})


@pytest.fixture(autouse=True)
def no_fake_left_running():
    """Every fake started in a test is stopped by its end."""
    yield
    left = [t for t in threading.enumerate() if t.name == "fake-wechatpay" and t.is_alive()]
    assert not left, f"{len(left)} fake server thread(s) still running"
