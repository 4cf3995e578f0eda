"""``{% reward_button article %}``: the reward button and its dialog, for the article page (portal)."""

from django import template
from django.conf import settings

register = template.Library()

# The dialog's ready-made amounts (fen); any other amount 1..REWARD_MAX_FEN can be typed.
PRESETS = (100, 500, 1000, 5000)


@register.inclusion_tag("rewards/_reward_button.html", takes_context=True)
def reward_button(context, article):
    request = context["request"]
    user = request.user
    return {
        "request": request,
        "user": user,
        "article_id": article.id,
        "is_author": user.is_authenticated and user.id == article.author_id,
        "presets": [p for p in PRESETS if p <= settings.REWARD_MAX_FEN],
        "max_yuan": settings.REWARD_MAX_FEN / 100,
        "poll_ms": settings.REWARD_POLL_INTERVAL_MS,
        "csrf_token": context.get("csrf_token"),
    }
