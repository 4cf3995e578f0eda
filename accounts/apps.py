from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """A double-entry ledger: accounts, credits once per (biz, biz_id), entries. Generic by business."""

    name = "accounts"
    verbose_name = _("Accounts")
