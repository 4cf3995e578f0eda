"""Who follows whom, and each user's follow counts.

``Follow`` is one row per (follower, followee); unfollowing deletes it, so a later follow is a
new row and "newest follow first" means what it says. ``FollowCounter`` holds a user's
``follower_cnt`` and ``followee_cnt``, written only by ``relations.services`` under the row
locks described there, so the counts equal the rows they count.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("follower"))
    followee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("followee"))
    ctime = models.DateTimeField(_("followed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="uniq_follow_pair"),
            models.CheckConstraint(condition=~models.Q(follower=models.F("followee")), name="follow_not_self"),
        ]
        indexes = [
            # "Who follows X", newest first; also the fan-out's walk over X's followers.
            models.Index(fields=["followee", "-ctime", "-id"], name="follow_followee_recent"),
            models.Index(fields=["follower", "-ctime", "-id"], name="follow_follower_recent"),
        ]

    def __str__(self):
        return f"{self.follower_id} follows {self.followee_id}"


class FollowCounter(models.Model):
    """A user's counts; the row exists before any follow transaction locks it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="+", verbose_name=_("user"))
    follower_cnt = models.BigIntegerField(_("followers"), default=0)
    followee_cnt = models.BigIntegerField(_("following"), default=0)
    utime = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("follow counter")
        verbose_name_plural = _("follow counters")
        indexes = [models.Index(fields=["-follower_cnt"], name="followcounter_followers")]

    def __str__(self):
        return f"{self.user_id}: {self.follower_cnt} followers, {self.followee_cnt} following"
