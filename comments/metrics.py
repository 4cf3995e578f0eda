"""Comment metrics, recorded where they happen."""

from prometheus_client import Counter

COMMENTS_CREATED = Counter("tinybook_comments_created_total", "Comments stored", ["level"])  # root, reply
COMMENTS_DELETED = Counter("tinybook_comments_deleted_total", "Comments deleted", ["by"])  # author, article_author, staff
COMMENT_REFUSALS = Counter(
    "tinybook_comment_refusals_total",
    "Comments refused before storing: rate, duplicate, invalid (bad input, thread), not_found (article)",
    ["reason"],
)
COMMENT_ADMIT_FAILURES = Counter(
    "tinybook_comment_admit_failures_total", "Comments Redis could not admit (handled per COMMENT_RATE_LIMIT_FAIL_OPEN)"
)
