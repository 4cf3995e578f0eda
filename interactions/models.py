"""Interactions, generic by business (``biz``, ``biz_id``): counters, likes, collections.

``biz`` names the kind of thing ("article"); ``biz_id`` its id in that business. No foreign
keys to the business tables: interactions stand on their own, as in webook.
"""

from django.conf import settings
from django.db import models

BIZ_ARTICLE = "article"


class Counter(models.Model):
    """The counts of one business object. Written only by ``interactions.services``."""

    biz = models.CharField(max_length=32)
    biz_id = models.BigIntegerField()
    read_cnt = models.BigIntegerField(default=0)
    like_cnt = models.BigIntegerField(default=0)
    collect_cnt = models.BigIntegerField(default=0)
    ctime = models.DateTimeField(auto_now_add=True)
    utime = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["biz", "biz_id"], name="uniq_counter_biz")]
        indexes = [models.Index(fields=["biz", "-like_cnt"], name="counter_biz_likes")]

    def __str__(self):
        return f"{self.biz}:{self.biz_id}"


class Like(models.Model):
    """One user's like of one object; unliking clears ``status`` (the row stays: soft delete).

    The record is the truth; the object's ``Counter.like_cnt`` follows it in batches
    (docs/interactions.md): ``counted`` is the state the counter includes, and ``pending`` marks
    a row whose ``status`` changed since. Invariant: ``like_cnt`` == the rows with ``counted``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    biz = models.CharField(max_length=32)
    biz_id = models.BigIntegerField()
    status = models.BooleanField(default=True, help_text="True: liked; False: unliked (soft-deleted)")
    ctime = models.DateTimeField(auto_now_add=True)
    utime = models.DateTimeField(auto_now=True, help_text="when the like was last given or taken back")
    counted = models.BooleanField(default=False, help_text="the state the like counter includes")
    pending = models.BooleanField(default=False, help_text="status changed; the counter has not followed yet")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "biz", "biz_id"], name="uniq_like_user_biz")]
        indexes = [
            models.Index(fields=["user", "biz", "status", "-utime"], name="like_user_recent"),
            models.Index(fields=["pending", "biz", "biz_id"], name="like_pending"),
        ]

    def __str__(self):
        return f"{self.user_id} likes {self.biz}:{self.biz_id}" + ("" if self.status else " (taken back)")


class Collection(models.Model):
    """A named folder of collected items. Folder id 0 (no row) is the user's default folder."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=64)
    ctime = models.DateTimeField(auto_now_add=True)
    utime = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-ctime"], name="collection_owner")]

    def __str__(self):
        return self.name


class CollectedItem(models.Model):
    """A user's collect of one object, in one folder (``collection`` NULL: the default folder).

    One row per user and object: collecting again into another folder moves it, so
    ``collect_cnt`` counts people, like ``like_cnt``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    biz = models.CharField(max_length=32)
    biz_id = models.BigIntegerField()
    ctime = models.DateTimeField(auto_now_add=True)
    utime = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "biz", "biz_id"], name="uniq_collect_user_biz")]
        indexes = [
            models.Index(fields=["user", "biz", "-utime"], name="collect_user_recent"),
            models.Index(fields=["collection", "-utime"], name="collect_folder_recent"),
        ]

    def __str__(self):
        return f"{self.user_id} collected {self.biz}:{self.biz_id}"


class StreamCursor(models.Model):
    """The last stream entry applied to the counters, per stream and consumer group.

    Written in the same transaction as the counts it stands for, so a replayed entry
    (id <= ``last_id``) is recognised and not counted twice. ``owner`` fences consumers:
    only the current lease holder may apply.
    """

    stream = models.CharField(max_length=128)
    group = models.CharField(max_length=64)
    last_ms = models.BigIntegerField(default=0)
    last_seq = models.BigIntegerField(default=0)
    owner = models.CharField(max_length=64, blank=True, default="")
    utime = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stream", "group"], name="uniq_cursor_stream_group")]

    def __str__(self):
        return f"{self.stream} / {self.group} @ {self.last_id}"

    @property
    def last_id(self) -> str:
        return f"{self.last_ms}-{self.last_seq}"
