from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Comments on articles: two-level threads, exact counts, moderation (docs/comments.md)."""

    name = "comments"

    def ready(self):
        from comments import receivers  # noqa: F401 - connects the receivers
