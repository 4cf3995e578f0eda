"""Payment providers: WeChat Pay Native through the kept SDK ``wechatpayv3``, and ``dev``.

The rest of the app sees ``PaymentProvider``: create a Native order (its ``code_url`` is what the
payer scans), query it, close it, and turn a notification into a ``PaymentNotice`` or refuse it.

What the SDK leaves to us (the lab report behind this module is summed up in docs/rewards.md):

- The gateway is hard-coded in ``Core._gate_way``; ``WECHATPAY_BASE_URL`` replaces it right after
  construction (public-key mode makes no request before that), guarded so that a future SDK that
  moves it fails at startup instead of calling a host we did not choose.
- ``timeout`` defaults to none at all: always set from settings.
- ``logger``: with one, the SDK logs headers, serials and decrypted bodies at DEBUG; we never pass it.
- Notifications: the SDK checks no timestamp (we refuse outside ``PAYMENT_NOTIFY_MAX_SKEW``), and an
  unknown serial makes it download ``/v3/certificates`` (we refuse a serial that is not our public
  key id before calling it). It does not compare the amount with the order: the services do.
- Its exceptions are bare ``Exception`` whose text may carry attacker-chosen header values: they
  become our own fixed reasons, raised ``from None``.

Nothing here logs a key, a serial number, a header value or a body: refusals log a fixed reason.
"""

import abc
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger("payments")

WECHATPAY_DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com"
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
_WECHATPAY_HEADERS = ("Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce",
                      "Wechatpay-Serial", "Wechatpay-Signature-Type")
# WeChat Pay's own limit on an order's description (bytes of UTF-8 here, the stricter reading).
DESCRIPTION_MAX_BYTES = 127

SUCCESS = "SUCCESS"
NOTPAY = "NOTPAY"
USERPAYING = "USERPAYING"
CLOSED = "CLOSED"
# Trade states after which the order can never be paid.
FINAL_FAILURES = frozenset({CLOSED, "REVOKED", "PAYERROR"})


class PaymentError(Exception):
    """Base class; messages are fixed reasons, never a secret or a body."""


class NotConfigured(PaymentError):
    """The selected provider lacks settings (e.g. WeChat Pay without merchant keys)."""


class ProviderUnavailable(PaymentError):
    """Network error, timeout, 5xx, or an answer we could not trust: try again later."""


class ProviderRejected(PaymentError):
    """A 4xx answer, e.g. ORDER_NOT_EXIST, ORDERPAID, PARAM_ERROR."""

    def __init__(self, status: int, code: str):
        super().__init__(f"{status} {code}")
        self.status, self.code = status, code


class NotificationRejected(PaymentError):
    """Not genuine or not acceptable: logged as possible tampering, changes nothing."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TradeStatus:
    out_trade_no: str
    trade_state: str  # NOTPAY, USERPAYING, SUCCESS, CLOSED, REVOKED, PAYERROR, REFUND
    transaction_id: str | None
    amount_total: int | None  # fen, as the provider says


@dataclass(frozen=True)
class PaymentNotice:
    """A verified notification. ``amount_total`` is the notification's claim: compare with the order."""

    out_trade_no: str
    transaction_id: str | None
    trade_state: str
    amount_total: int


class PaymentProvider(abc.ABC):
    name: str

    @abc.abstractmethod
    def create_native(self, *, out_trade_no: str, amount_fen: int, description: str, time_expire: str,
                      site_url: str) -> str:
        """Create the order; return the ``code_url`` to show as a QR code."""

    @abc.abstractmethod
    def query(self, out_trade_no: str) -> TradeStatus: ...

    @abc.abstractmethod
    def close(self, out_trade_no: str) -> None: ...

    @abc.abstractmethod
    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> PaymentNotice:
        """Verify and decrypt; raise NotificationRejected when it is not genuine."""


def _reject(reason: str) -> NotificationRejected:
    logger.warning("payment notification refused (tampering?): %s", reason)
    return NotificationRejected(reason)


def _canonical_headers(headers: Mapping[str, str], names) -> dict[str, str]:
    """Headers from a dict, Django's ``request.headers`` or ``request.META``, by their wire names."""
    wanted = {h.lower(): h for h in names}
    out: dict[str, str] = {}
    for key, value in headers.items():
        k = str(key).lower()
        if k.startswith("http_"):
            k = k[5:].replace("_", "-")
        if k in wanted:
            out[wanted[k]] = str(value)
    return out


def _check_skew(raw: str, clock: Callable[[], float]) -> None:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        raise _reject("bad timestamp")
    if abs(clock() - int(raw)) > settings.PAYMENT_NOTIFY_MAX_SKEW:
        raise _reject("timestamp outside the allowed skew")


# --- WeChat Pay ------------------------------------------------------------------------------------

class WeChatPayProvider(PaymentProvider):
    name = "wechat"

    def __init__(self, *, mchid: str, appid: str, private_key_pem: str, merchant_serial: str,
                 apiv3_key: str, public_key_pem: str, public_key_id: str, notify_url: str,
                 base_url: str = WECHATPAY_DEFAULT_BASE_URL, timeout: tuple[float, float] = (3.0, 10.0),
                 clock: Callable[[], float] = time.time) -> None:
        from wechatpayv3 import WeChatPay, WeChatPayType

        self._mchid, self._appid = mchid, appid
        self._public_key_id = public_key_id
        self._clock = clock
        try:
            # Public-key mode: the constructor makes no network call. logger=None: the SDK then
            # logs nothing at all (with a logger it writes serials and bodies at DEBUG).
            self._client = WeChatPay(
                wechatpay_type=WeChatPayType.NATIVE, mchid=mchid, private_key=private_key_pem,
                cert_serial_no=merchant_serial, appid=appid, apiv3_key=apiv3_key, notify_url=notify_url,
                public_key=public_key_pem, public_key_id=public_key_id, timeout=timeout, logger=None)
        except Exception:  # the SDK raises bare Exception, e.g. for a key it cannot load
            raise NotConfigured("WeChat Pay keys could not be loaded") from None
        core = self._client._core
        if getattr(core, "_gate_way", None) != WECHATPAY_DEFAULT_BASE_URL:
            # wechatpayv3 2.0.4 keeps the gateway in Core._gate_way; fail loudly if that changes
            # rather than talk to a host we did not choose.
            raise RuntimeError("wechatpayv3 internals changed: cannot set the base URL")
        core._gate_way = base_url.rstrip("/")

    def _call(self, fn: Callable[..., tuple[int, Any]], **kwargs: Any) -> tuple[int, Any]:
        try:
            status, text = fn(**kwargs)
        except requests.RequestException as exc:
            raise ProviderUnavailable(type(exc).__name__) from None
        except Exception as exc:  # an answer whose signature did not verify: bare Exception
            raise ProviderUnavailable("answer not trusted: " + type(exc).__name__) from None
        if status >= 500:
            raise ProviderUnavailable(f"status {status}")
        if status >= 400:
            # 4xx answers are not signed-checked by the SDK: only their code is read, as a hint.
            try:
                code = str(json.loads(text).get("code", "UNKNOWN"))[:32]
            except (ValueError, AttributeError, TypeError):
                code = "UNKNOWN"
            raise ProviderRejected(status, code)
        return status, text

    def create_native(self, *, out_trade_no, amount_fen, description, time_expire, site_url) -> str:
        _, text = self._call(self._client.pay, description=description, out_trade_no=out_trade_no,
                             amount={"total": amount_fen, "currency": "CNY"}, time_expire=time_expire)
        try:
            return str(json.loads(text)["code_url"])
        except (ValueError, KeyError, TypeError):
            raise ProviderUnavailable("answer without code_url") from None

    def query(self, out_trade_no) -> TradeStatus:
        _, text = self._call(self._client.query, out_trade_no=out_trade_no)
        try:
            tx = json.loads(text)
            amount = (tx.get("amount") or {}).get("total")
            return TradeStatus(out_trade_no=str(tx["out_trade_no"]), trade_state=str(tx["trade_state"]),
                               transaction_id=tx.get("transaction_id"),
                               amount_total=amount if isinstance(amount, int) and not isinstance(amount, bool)
                               else None)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ProviderUnavailable("malformed answer") from None

    def close(self, out_trade_no) -> None:
        self._call(self._client.close, out_trade_no=out_trade_no)

    def parse_notification(self, headers, body) -> PaymentNotice:
        h = _canonical_headers(headers, _WECHATPAY_HEADERS)
        if any(not h.get(name) for name in _WECHATPAY_HEADERS):
            raise _reject("unsigned")
        if h["Wechatpay-Signature-Type"] != SIGNATURE_TYPE:
            raise _reject("unknown signature type")
        if not hmac.compare_digest(h["Wechatpay-Serial"].encode(), self._public_key_id.encode()):
            # Checked before the SDK: with an unknown serial it would download /v3/certificates
            # (an outbound call per forged request).
            raise _reject("unknown serial")
        if h["Wechatpay-Signature"].startswith("WECHATPAY/SIGNTEST/"):
            raise _reject("signature probe")
        _check_skew(h["Wechatpay-Timestamp"], self._clock)  # the SDK checks no timestamp
        try:
            result = self._client.callback(h, body)
        except Exception:  # its texts may carry header values: keep none of it
            result = None
        if not result or not isinstance(result.get("resource"), dict):
            raise _reject("bad signature or undecryptable resource")
        res = result["resource"]
        if res.get("mchid") != self._mchid or res.get("appid") != self._appid:
            raise _reject("not for this merchant")
        amount = (res.get("amount") or {}).get("total") if isinstance(res.get("amount"), dict) else None
        if not isinstance(amount, int) or isinstance(amount, bool) or not isinstance(res.get("out_trade_no"), str):
            raise _reject("malformed resource")
        return PaymentNotice(out_trade_no=res["out_trade_no"], transaction_id=res.get("transaction_id"),
                             trade_state=str(res.get("trade_state", "")), amount_total=amount)


# --- development provider ---------------------------------------------------------------------------

_DEV_HEADERS = ("X-Dev-Timestamp", "X-Dev-Nonce", "X-Dev-Signature")


class DevProvider(PaymentProvider):
    """``code_url`` is a page of this site with Pay and Fail buttons. Pressing one builds a
    notification signed with an HMAC key derived from ``SECRET_KEY`` and hands it to the same
    notification path as ``/pay/callback``. The order's state is our own Payment row: there is
    no remote side to disagree with."""

    name = "dev"

    def __init__(self, *, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._key = hashlib.sha256(b"tinybook-dev-payments\0" + secret.encode()).digest()
        self._clock = clock

    def create_native(self, *, out_trade_no, amount_fen, description, time_expire, site_url) -> str:
        return f"{site_url.rstrip('/')}/pay/dev/{out_trade_no}"

    @staticmethod
    def _row(out_trade_no: str):
        from payments.models import Payment

        row = Payment.objects.filter(out_trade_no=out_trade_no).first()
        if row is None:
            raise ProviderRejected(404, "ORDER_NOT_EXIST")
        return row

    def query(self, out_trade_no) -> TradeStatus:
        row = self._row(out_trade_no)
        state = {"paid": SUCCESS, "failed": CLOSED}.get(row.status, NOTPAY)
        return TradeStatus(out_trade_no, state, row.transaction_id or None, row.amount)

    def close(self, out_trade_no) -> None:
        if self._row(out_trade_no).status == "paid":
            raise ProviderRejected(400, "ORDERPAID")

    def _sign(self, ts: str, nonce: str, body: bytes) -> str:
        return hmac.new(self._key, f"{ts}\n{nonce}\n".encode() + body + b"\n", "sha256").hexdigest()

    def complete(self, out_trade_no: str, *, paid: bool) -> tuple[dict[str, str], bytes]:
        """What the dev page's Pay/Fail buttons do: the (headers, body) of the notification."""
        row = self._row(out_trade_no)
        body = json.dumps({
            "out_trade_no": out_trade_no,
            "transaction_id": "DEV" + secrets.token_hex(8) if paid else None,
            "trade_state": SUCCESS if paid else "PAYERROR",
            "amount_total": row.amount,
        }).encode()
        ts, nonce = str(int(self._clock())), secrets.token_hex(8)
        return {"X-Dev-Timestamp": ts, "X-Dev-Nonce": nonce, "X-Dev-Signature": self._sign(ts, nonce, body)}, body

    def parse_notification(self, headers, body) -> PaymentNotice:
        h = _canonical_headers(headers, _DEV_HEADERS)
        if any(not h.get(name) for name in _DEV_HEADERS):
            raise _reject("unsigned")
        _check_skew(h["X-Dev-Timestamp"], self._clock)
        if not hmac.compare_digest(self._sign(h["X-Dev-Timestamp"], h["X-Dev-Nonce"], body), h["X-Dev-Signature"]):
            raise _reject("bad signature or undecryptable resource")
        try:
            d = json.loads(body)
            notice = PaymentNotice(out_trade_no=str(d["out_trade_no"]), transaction_id=d["transaction_id"],
                                   trade_state=str(d["trade_state"]), amount_total=d["amount_total"])
        except (ValueError, KeyError, TypeError):
            raise _reject("malformed resource") from None
        if not isinstance(notice.amount_total, int) or isinstance(notice.amount_total, bool):
            raise _reject("malformed resource")
        return notice


# --- the configured provider, once per process -----------------------------------------------------------

def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        raise NotConfigured(f"cannot read the {what} file") from None


WECHATPAY_REQUIRED = ("WECHATPAY_MCHID", "WECHATPAY_APPID", "WECHATPAY_NOTIFY_URL", "WECHATPAY_PRIVATE_KEY_FILE",
                      "WECHATPAY_MERCHANT_SERIAL_KEY", "WECHATPAY_APIV3_KEY", "WECHATPAY_PUBLIC_KEY_FILE",
                      "WECHATPAY_PUBLIC_KEY_ID")


def wechatpay_missing() -> list[str]:
    """The WeChat Pay settings that are empty."""
    return [name for name in WECHATPAY_REQUIRED if not getattr(settings, name)]


@cache
def get_provider() -> PaymentProvider:
    """The provider ``PAYMENT_PROVIDER`` names, built once per process (after fork, never at import);
    NotConfigured when its settings are incomplete. Rebuilt when a test changes a setting."""
    if settings.PAYMENT_PROVIDER == "dev":
        return DevProvider(secret=settings.SECRET_KEY)
    if settings.PAYMENT_PROVIDER != "wechat":
        raise NotConfigured("unknown PAYMENT_PROVIDER")
    if wechatpay_missing():
        raise NotConfigured("WeChat Pay is not configured")
    return WeChatPayProvider(
        mchid=settings.WECHATPAY_MCHID, appid=settings.WECHATPAY_APPID,
        private_key_pem=_read(settings.WECHATPAY_PRIVATE_KEY_FILE, "private key"),
        merchant_serial=settings.WECHATPAY_MERCHANT_SERIAL_KEY, apiv3_key=settings.WECHATPAY_APIV3_KEY,
        public_key_pem=_read(settings.WECHATPAY_PUBLIC_KEY_FILE, "public key"),
        public_key_id=settings.WECHATPAY_PUBLIC_KEY_ID, notify_url=settings.WECHATPAY_NOTIFY_URL,
        base_url=settings.WECHATPAY_BASE_URL,
        timeout=(settings.WECHATPAY_CONNECT_TIMEOUT, settings.WECHATPAY_READ_TIMEOUT),
    )


@receiver(setting_changed, dispatch_uid="payments.provider-settings")
def _settings_changed(sender, setting, **kwargs):
    if setting.startswith(("PAYMENT_", "WECHATPAY_")) or setting == "SECRET_KEY":
        get_provider.cache_clear()
