"""The sender assembled from settings: providers wrapped in decorators."""

from django.conf import settings

from sms.providers import ConsoleProvider, ProviderError

PROVIDER_CLASSES = {"console": ConsoleProvider}


def build_providers():
    return [PROVIDER_CLASSES[name]() for name in settings.SMS_PROVIDERS]


def send_now(*, tpl_id, args, numbers) -> str:
    last = None
    for provider in build_providers():
        try:
            provider.send(tpl_id=tpl_id, args=args, numbers=numbers, timeout=settings.SMS_PROVIDER_TIMEOUT)
            return provider.name
        except ProviderError as exc:
            last = exc
    raise last or ProviderError("no provider configured")
