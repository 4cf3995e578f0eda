"""The index tables, as the admin sees them (read-only listing, "reindex selected").

The tables belong to the backend: created by migration 0001 per database (an FTS5 virtual
table on SQLite, a Mroonga table on MariaDB), written by ``search.backends`` in plain SQL.
These unmanaged models only read the stored columns; on SQLite ``title`` holds the bigram form
(``search.text.bigram_form``) the index was built from.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class _Entry(models.Model):
    id = models.BigIntegerField(primary_key=True)
    title = models.TextField(_("title"))
    ts = models.CharField(_("time"), max_length=32, help_text=_("publication or sign-up time"))
    version = models.CharField(_("version"), max_length=32, help_text=_("the source's update time when indexed"))

    class Meta:
        abstract = True
        managed = False

    def __str__(self):
        return f"#{self.pk}"


class ArticleEntry(_Entry):
    class Meta(_Entry.Meta):
        db_table = "search_article"
        verbose_name = _("indexed article")
        verbose_name_plural = _("indexed articles")


class UserEntry(_Entry):
    class Meta(_Entry.Meta):
        db_table = "search_user"
        verbose_name = _("indexed person")
        verbose_name_plural = _("indexed people")
