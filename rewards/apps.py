from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    """Rewards (打赏): the reward button's API, the payer's status, the author's earnings, and
    reconciliation of rewards, payments and the ledger. Above payments and accounts."""

    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self):
        from rewards import (  # noqa: F401 - registers the system checks, connects the receivers
            checks,
            receivers,
        )
