"""Reward metrics recorded where they happen."""

from prometheus_client import Counter

REWARDS_CREATED = Counter("tinybook_rewards_created_total", "Rewards created (an order was opened)")
REWARDS_SETTLED = Counter("tinybook_rewards_settled_total", "Rewards settled, by outcome (paid, failed)", ["outcome"])
