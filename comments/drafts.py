"""A refused comment form's text, kept in the session for the page it came from, so the
reader can correct it instead of typing it again (post/redirect/get loses the form)."""

_KEY = "comment_draft"


def draft_keep(session, *, biz_id: int, content: str, root_id: int | None, parent_id: int | None) -> None:
    session[_KEY] = {"bizId": biz_id, "content": content, "rootId": root_id, "parentId": parent_id}


def draft_take(session, *, biz_id: int) -> dict | None:
    """The kept draft for this article, once (taken out); None when there is none."""
    if _KEY not in session:
        return None
    draft = session.pop(_KEY)
    return draft if isinstance(draft, dict) and draft.get("bizId") == biz_id else None
