"""``{{ fen|yuan }}``: an amount in fen as people read it, "¥1,234.56" (integer arithmetic, no float)."""

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    try:
        fen = int(fen)
    except (TypeError, ValueError):
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"
