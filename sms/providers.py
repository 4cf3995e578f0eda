"""SMS providers: one class per vendor, each sending one message to a list of numbers.

A provider raises ``ProviderError`` for anything that means "this provider did not send"
(vendor error code, HTTP failure, timeout); the decorators in ``sms.senders`` decide
what happens next. Providers know nothing about health, limits or queues.
"""

import json
import logging
import re

from django.conf import settings
from django.db import transaction

from sms.models import OutboxMessage

logger = logging.getLogger("sms")


class ProviderError(Exception):
    """The provider did not accept the message; another provider may."""


class ProviderTimeout(ProviderError):
    """The provider did not answer within the timeout."""


def mask_phone(phone: str) -> str:
    """+8613800000000 -> +86*******0000: enough to tell numbers apart in a log, not to dial."""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class Provider:
    """``out_id``: our client-side id of the message (a queued row's), the same on every attempt.
    It travels with the message (Tencent's SessionContext, Aliyun's OutId), so the vendor's
    records and receipts name it, and ``delivered`` can look for it before a re-send."""

    name = "base"

    def send(self, *, tpl_id: str, args: list[str], numbers: list[str], timeout: float,
             out_id: str | None = None) -> None:
        raise NotImplementedError

    def delivered(self, *, numbers: list[str], out_id: str, since, timeout: float) -> bool | None:
        """Did the vendor take the message ``out_id`` (sent since ``since``)? None: it cannot say."""
        return None


class ConsoleProvider(Provider):
    """Development provider: logs that a message went out, keeps its text in the outbox table.

    The log line carries the template and masked numbers only; the text (which may hold a
    login code) goes to the outbox table, never to the log.
    """

    name = "console"

    def render(self, tpl_id: str, args: list[str]) -> str:
        pattern = settings.SMS_CONSOLE_TEMPLATES.get(tpl_id)
        if pattern:
            try:
                return pattern.format(*args)
            except (IndexError, KeyError, ValueError):
                pass
        return f"[{tpl_id}] " + " ".join(args)

    def send(self, *, tpl_id, args, numbers, timeout, out_id=None):
        text = self.render(tpl_id, args)
        with transaction.atomic():
            OutboxMessage.objects.bulk_create(
                [OutboxMessage(phone=n, text=text, tpl_id=tpl_id) for n in numbers]
            )
            keep = settings.SMS_CONSOLE_OUTBOX_SIZE
            cutoff = OutboxMessage.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
            cutoff = list(cutoff)
            if cutoff:
                OutboxMessage.objects.filter(id__lte=cutoff[0]).delete()
        logger.info(
            "console SMS sent: template=%s to=%s (text in the dev outbox: manage.py sms_outbox)",
            tpl_id, ",".join(mask_phone(n) for n in numbers),
        )


def _vendor_template(provider: str, tpl_id: str) -> str:
    """Our template id -> the vendor's template id (SMS_TEMPLATE_MAP), else unchanged."""
    return settings.SMS_TEMPLATE_MAP.get(provider, {}).get(tpl_id, tpl_id)


def _split_endpoint(endpoint: str) -> tuple[str, str]:
    """"http://127.0.0.1:8080" -> ("http", "127.0.0.1:8080"); a bare host means https."""
    if "://" in endpoint:
        scheme, _, host = endpoint.partition("://")
        return scheme, host.rstrip("/")
    return "https", endpoint


_QUERY = re.compile(r"\?[^\s'\")]*")


def _scrub(text: str) -> str:
    """Drop URL query strings from an SDK error: Aliyun puts the template params (the login
    code) and the numbers in the URL, and its errors quote the URL."""
    return _QUERY.sub("?[redacted]", text)[:200]


def _looks_like_timeout(text: str) -> bool:
    lowered = text.lower()
    return "timed out" in lowered or "timeout" in lowered


class TencentProvider(Provider):
    """Tencent Cloud SMS through tencentcloud-sdk-python-sms (API 2021-01-11)."""

    name = "tencent"

    def _client(self, timeout: float):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        scheme, host = _split_endpoint(settings.SMS_TENCENT_ENDPOINT)
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=timeout)
        cred = credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY)
        return sms_client.SmsClient(cred, settings.SMS_TENCENT_REGION, ClientProfile(httpProfile=http))

    def send(self, *, tpl_id, args, numbers, timeout, out_id=None):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        req = models.SendSmsRequest()
        req.SmsSdkAppId = settings.SMS_TENCENT_APP_ID
        req.SignName = settings.SMS_TENCENT_SIGN_NAME
        req.TemplateId = _vendor_template(self.name, tpl_id)
        req.TemplateParamSet = list(args)
        req.PhoneNumberSet = list(numbers)
        if out_id:
            req.SessionContext = out_id  # echoed in receipts; Tencent does not deduplicate on it
        try:
            resp = self._client(timeout).SendSms(req)
        except TencentCloudSDKException as exc:
            text = _scrub(f"{exc.get_code()}: {exc.get_message()}")
            if _looks_like_timeout(text):
                raise ProviderTimeout(f"tencent: {text}") from exc
            raise ProviderError(f"tencent: {text}") from exc
        except Exception as exc:  # the SDK lets some transport errors through unwrapped
            raise ProviderError(f"tencent: {type(exc).__name__}") from exc
        failed = [s for s in (resp.SendStatusSet or []) if (s.Code or "").lower() != "ok"]
        if failed or not resp.SendStatusSet:
            code = failed[0].Code if failed else "no status"
            raise ProviderError(f"tencent: {code}")


class AliyunProvider(Provider):
    """Aliyun SMS through alibabacloud-dysmsapi20170525."""

    name = "aliyun"

    def _client(self, timeout_ms: int):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api_models

        scheme, host = _split_endpoint(settings.SMS_ALIYUN_ENDPOINT)
        config = open_api_models.Config(
            access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=host,
            protocol=scheme,
            read_timeout=timeout_ms,
            connect_timeout=timeout_ms,
        )
        return Client(config)

    def _params(self, tpl_id, args) -> str:
        # Aliyun templates take named parameters; positional args are named per template.
        names = settings.SMS_ALIYUN_PARAM_NAMES.get(tpl_id) or [f"p{i + 1}" for i in range(len(args))]
        return json.dumps(dict(zip(names, args, strict=False)), ensure_ascii=False)

    def send(self, *, tpl_id, args, numbers, timeout, out_id=None):
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_util import models as util_models

        timeout_ms = max(1, int(timeout * 1000))
        req = models.SendSmsRequest(
            phone_numbers=",".join(n.lstrip("+") for n in numbers),
            sign_name=settings.SMS_ALIYUN_SIGN_NAME,
            template_code=_vendor_template(self.name, tpl_id),
            template_param=self._params(tpl_id, args),
            out_id=out_id,  # kept in the send record (QuerySendDetails) and receipts
        )
        # Failover and the async queue retry; the SDK must not retry behind our back.
        runtime = util_models.RuntimeOptions(
            autoretry=False, max_attempts=0, read_timeout=timeout_ms, connect_timeout=timeout_ms
        )
        try:
            resp = self._client(timeout_ms).send_sms_with_options(req, runtime)
        except Exception as exc:  # the SDK raises several unrelated classes (Tea, darabonba, requests)
            text = _scrub(str(getattr(exc, "message", "") or exc))
            if _looks_like_timeout(text):
                raise ProviderTimeout(f"aliyun: timeout ({type(exc).__name__})") from exc
            raise ProviderError(f"aliyun: {type(exc).__name__}: {text}") from exc
        body = resp.body
        if body is None or (body.code or "").upper() != "OK":
            raise ProviderError(f"aliyun: {getattr(body, 'code', 'no body')}")

    def delivered(self, *, numbers, out_id, since, timeout):
        """Aliyun keeps a send record per number (QuerySendDetails, by number and day) with our
        OutId: the check its documentation asks for before retrying a send that timed out."""
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_util import models as util_models
        from django.utils import timezone

        timeout_ms = max(1, int(timeout * 1000))
        runtime = util_models.RuntimeOptions(autoretry=False, max_attempts=0, read_timeout=timeout_ms,
                                             connect_timeout=timeout_ms)
        days = {timezone.localtime(since).strftime("%Y%m%d"), timezone.localtime().strftime("%Y%m%d")}
        try:
            for day in sorted(days):
                req = models.QuerySendDetailsRequest(phone_number=numbers[0].lstrip("+"), send_date=day,
                                                     page_size=50, current_page=1)
                body = self._client(timeout_ms).query_send_details_with_options(req, runtime).body
                if body is None or (body.code or "").upper() != "OK":
                    return None
                records = (body.sms_send_detail_dtos.sms_send_detail_dto or []) if body.sms_send_detail_dtos else []
                if any(r.out_id == out_id for r in records):
                    return True
        except Exception as exc:  # the SDK raises several unrelated classes
            logger.warning("aliyun send records unavailable: %s", type(exc).__name__)
            return None
        return False
