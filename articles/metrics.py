from prometheus_client import Counter

# Someone tried to write an article that is not theirs: a client bug or tampering.
ARTICLE_FOREIGN_WRITES = Counter(
    "tinybook_article_foreign_write_attempts",
    "Attempts to edit, publish or withdraw another author's article",
    ["action"],
)
