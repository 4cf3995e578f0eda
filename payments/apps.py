from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payment orders through a provider (WeChat Pay Native, or the dev page), the notification
    callback, and the outbox relay that tells the apps above. Generic by (biz, biz_id)."""

    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from payments import checks, receivers  # noqa: F401 - registers the system checks and the receivers
        from payments.collectors import PaymentStateCollector
        from tinybook.metrics import register_state_collector

        register_state_collector(PaymentStateCollector())
