"""System checks: a misconfigured SMS platform is refused at start, not at the first send."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def sms_settings_check(app_configs, **kwargs):
    from sms.senders import PROVIDER_CLASSES

    problems = []
    unknown = [p for p in settings.SMS_PROVIDERS if p not in PROVIDER_CLASSES]
    if unknown or not settings.SMS_PROVIDERS:
        problems.append(Error(
            f"SMS_PROVIDERS names unknown providers {unknown}" if unknown else "SMS_PROVIDERS is empty",
            hint=f"choose from {sorted(PROVIDER_CLASSES)}", id="sms.E001",
        ))
    if settings.SMS_PROVIDER_TIMEOUT * max(1, len(settings.SMS_PROVIDERS)) >= settings.SMS_ASYNC_LEASE:
        problems.append(Warning(
            "SMS_ASYNC_LEASE is not longer than a failover over every provider "
            "(SMS_PROVIDER_TIMEOUT x providers): a slow send may outlive its lease and be sent twice",
            id="sms.W001",
        ))
    for name, tiers in (settings.SMS_FEE_TIERS or {}).items():
        ok = isinstance(tiers, list) and all(
            isinstance(t, list | tuple) and len(t) == 2 and all(isinstance(x, int | float) for x in t)
            for t in tiers
        )
        if not ok:
            problems.append(Error(f"SMS_FEE_TIERS[{name!r}] must be [[from_volume, price], ...]", id="sms.E002"))
    return problems
