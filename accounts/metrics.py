"""Ledger metrics recorded where credits happen."""

from prometheus_client import Counter

CREDITS = Counter("tinybook_account_credits_total", "Credits posted to the ledger, by business", ["biz"])
CREDITED_FEN = Counter(
    "tinybook_account_credited_fen_total", "Fen credited, by business and receiving side (user, platform)",
    ["biz", "side"],
)
