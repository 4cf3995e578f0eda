"""System checks: reward settings that cannot work are refused at start, not at the first payment."""

from decimal import Decimal

from django.conf import settings
from django.core.checks import Error, register


@register()
def rewards_settings_check(app_configs, **kwargs):
    problems = []
    if not Decimal(0) <= settings.REWARD_PLATFORM_SHARE <= Decimal(1):
        problems.append(Error("REWARD_PLATFORM_SHARE must be between 0 and 1", id="rewards.E001"))
    if settings.REWARD_MAX_FEN < 1:
        problems.append(Error("REWARD_MAX_FEN must be at least 1 (fen)", id="rewards.E002"))
    return problems
