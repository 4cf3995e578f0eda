"""Comments, generic by business (``biz``, ``biz_id``), in two levels: roots and replies.

A root has no ``root``; a reply belongs to one root's thread and may name the comment it
answers (``parent_id``, any comment of that thread, possibly gone since: no foreign key) and
that comment's author (``reply_to_user``, kept so "reply to <name>" reads after the answered
comment was deleted). A deleted root that still has replies stays as a placeholder
(``deleted``, its text cleared) so the thread reads; every other deleted comment is gone.

``CommentCounter`` holds an object's visible-comment count and a version bumped by every
change of its comments (and by the article coming and going): the cache of the first page
(``comments.cache``) is written only with a version at least as new as the one it replaces.
"""

from django.conf import settings
from django.db import models

BIZ_ARTICLE = "article"


class CommentCounter(models.Model):
    """Written only by ``comments.services``, under this row's lock."""

    biz = models.CharField(max_length=32)
    biz_id = models.BigIntegerField()
    cnt = models.BigIntegerField(default=0, help_text="visible comments (roots not deleted, and replies)")
    version = models.BigIntegerField(default=0, help_text="bumped by every change; orders cache writes")
    utime = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["biz", "biz_id"], name="uniq_comment_counter_biz")]

    def __str__(self):
        return f"{self.biz}:{self.biz_id} ({self.cnt})"


class Comment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    biz = models.CharField(max_length=32)
    biz_id = models.BigIntegerField()
    root = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
                             help_text="empty for a root; the thread's root for a reply")
    parent_id = models.BigIntegerField(null=True, blank=True, help_text="the comment this reply answers")
    reply_to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", help_text="the author of the answered comment")
    content = models.TextField(help_text="plain text, never HTML")
    deleted = models.BooleanField(default=False, help_text="a deleted root kept for its replies")
    reply_cnt = models.IntegerField(default=0, help_text="replies in this root's thread")
    ctime = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["biz", "biz_id", "root", "id"], name="comment_biz_roots"),
                   models.Index(fields=["user", "id"], name="comment_user")]

    def __str__(self):
        return f"#{self.pk} on {self.biz}:{self.biz_id}"
