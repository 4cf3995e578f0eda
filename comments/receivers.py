"""What comments do when an article comes and goes (wired in ``CommentsConfig.ready``)."""

from django.dispatch import receiver

from articles.signals import article_published, article_withdrawn
from comments import services


@receiver(article_withdrawn, dispatch_uid="comments.hide-withdrawn")
def hide_with_article(sender, *, article_id, **kwargs):
    # Hidden, not deleted: the cached page goes; the database answers "not found" from now on.
    services.comments_visibility_changed(biz_id=article_id)


@receiver(article_published, dispatch_uid="comments.show-published")
def show_with_article(sender, *, article_id, **kwargs):
    services.comments_visibility_changed(biz_id=article_id)

