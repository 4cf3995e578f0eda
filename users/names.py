"""What other people see as a user's name.

The nickname; without one, a neutral name made from the id, in the reader's language ("user
1234" / "用户1234"). Never anything derived from an email address or a phone number, whole or
in part: those identify a person to whoever reads the page.
"""

from django.utils.translation import gettext as _


def display_name(user_id: int, nickname: str) -> str:
    """Call it when answering (it is translated), not when caching."""
    return nickname or _("user %(id)d") % {"id": user_id}
