from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def iso_time(value: str):
    """An item's ISO 8601 ``ctime`` as a datetime, for the ``date`` filter."""
    return parse_datetime(value) if value else None


@register.simple_tag(takes_context=True)
def may_delete(context, comment: dict) -> bool:
    """Whether the viewer may delete ``comment``: its author, or a moderator of the page
    (the article's author, staff: ``comments_moderator`` in the context)."""
    user = context.get("user")
    if comment["deleted"] or user is None or not user.is_authenticated:
        return False
    return bool(context.get("comments_moderator")) or (comment["user"] or {}).get("id") == user.id


@register.filter
def get_id(comment: dict):
    return comment["id"]
