"""Two tables with one id: the author's drafts and the readers' live copies.

The author writes only ``Article`` (the draft). Publishing copies it into ``LiveArticle``
under the same primary key; readers only ever read ``LiveArticle`` rows with status
PUBLISHED, so an edit in progress never leaks and a withdrawal is one UPDATE.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.content import TITLE_COLUMN_MAX


class ArticleStatus(models.IntegerChoices):
    UNPUBLISHED = 1, _("unpublished")
    PUBLISHED = 2, _("published")
    PRIVATE = 3, _("withdrawn")


class Article(models.Model):
    """The author's draft: what ``/articles/edit`` writes and the dashboard shows."""

    id = models.BigAutoField(primary_key=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="articles", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=TITLE_COLUMN_MAX)
    content = models.TextField(_("content"), blank=True, default="")
    # Escaped text: up to ARTICLE_ABSTRACT_LENGTH characters, each at most 6 once escaped.
    abstract = models.TextField(_("abstract"), blank=True, default="")
    status = models.PositiveSmallIntegerField(
        _("status"), choices=ArticleStatus.choices, default=ArticleStatus.UNPUBLISHED
    )
    ctime = models.DateTimeField(_("created"), default=timezone.now)
    utime = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("article draft")
        verbose_name_plural = _("article drafts")
        indexes = [
            # The author's list: newest edit first.
            models.Index(fields=["author", "-utime", "-id"], name="article_author_utime"),
            # check_articles walks published drafts by id range.
            models.Index(fields=["status", "id"], name="article_status_id"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"


class LiveArticle(models.Model):
    """The readers' copy, same id as the draft; only status PUBLISHED is ever shown."""

    id = models.BigIntegerField(primary_key=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="live_articles",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=TITLE_COLUMN_MAX)
    content = models.TextField(_("content"), blank=True, default="")
    abstract = models.TextField(_("abstract"), blank=True, default="")
    status = models.PositiveSmallIntegerField(
        _("status"), choices=ArticleStatus.choices, default=ArticleStatus.PUBLISHED
    )
    ctime = models.DateTimeField(_("created"))
    utime = models.DateTimeField(_("updated"))
    # First publication; kept when an edit is republished so a typo fix does not
    # make an old article "new" again in the hot list or the newest-first list.
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("live article")
        verbose_name_plural = _("live articles")
        indexes = [
            # Hot list (published within a window) and the public newest-first list.
            models.Index(fields=["status", "-published_at", "-id"], name="live_status_published"),
            models.Index(fields=["author", "status"], name="live_author_status"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"
