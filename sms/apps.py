from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("SMS")

    def ready(self):
        from sms import checks, receivers  # noqa: F401 - registers the system checks and the receivers
        from sms.collectors import SmsStateCollector
        from tinybook.metrics import register_state_collector

        register_state_collector(SmsStateCollector())
