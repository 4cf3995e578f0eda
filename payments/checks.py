"""System checks: a payment set-up that cannot work is refused at start, not at the first reward.

WeChat Pay left entirely unconfigured is not an error (the site runs, and rewards answer
"payments are not available"); a partial or malformed configuration is.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def payments_settings_check(app_configs, **kwargs):
    from payments.providers import WECHATPAY_REQUIRED, wechatpay_missing

    problems = []
    if settings.PAYMENT_PROVIDER not in ("dev", "wechat"):
        problems.append(Error("PAYMENT_PROVIDER must be 'dev' or 'wechat'", id="payments.E001"))
    if settings.PAYMENT_PROVIDER != "wechat":
        return problems
    missing = wechatpay_missing()
    if missing and len(missing) < len(WECHATPAY_REQUIRED):
        problems.append(Error(f"WeChat Pay is partly configured; missing: {', '.join(missing)}", id="payments.E002"))
    if settings.WECHATPAY_APIV3_KEY and len(settings.WECHATPAY_APIV3_KEY.encode()) != 32:
        problems.append(Error("WECHATPAY_APIV3_KEY must be 32 bytes (it is the AES-256 key)", id="payments.E003"))
    url = settings.WECHATPAY_NOTIFY_URL
    if url and (not url.startswith("https://") or "?" in url or not url.endswith("/pay/callback")):
        problems.append(Error("WECHATPAY_NOTIFY_URL must be an https URL ending in /pay/callback, "
                              "without a query string (WeChat Pay's rule)", id="payments.E004"))
    for name in ("WECHATPAY_PRIVATE_KEY_FILE", "WECHATPAY_PUBLIC_KEY_FILE"):
        path = getattr(settings, name)
        if path and not Path(path).is_file():
            problems.append(Error(f"{name} names no readable file", id="payments.E005"))
    return problems
