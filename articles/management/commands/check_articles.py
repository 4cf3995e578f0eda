"""Compare published drafts with the live table, in id-range batches; repair with --fix."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, Q
from django.db.models.functions import Collate

from articles import services
from articles.models import Article, ArticleStatus, LiveArticle

PUBLISHED = ArticleStatus.PUBLISHED


def _next_id(start: int) -> int | None:
    """The smallest id >= start in either table (skips gaps in one index lookup each)."""
    ids = [
        Article.objects.filter(pk__gte=start).aggregate(m=Min("pk"))["m"],
        LiveArticle.objects.filter(pk__gte=start).aggregate(m=Min("pk"))["m"],
    ]
    ids = [i for i in ids if i is not None]
    return min(ids) if ids else None


# Binary collations compare exact bytes: MySQL's *_ci collations would call "Title" == "title".
_BINARY_COLLATION = {"mysql": "utf8mb4_bin", "sqlite": "BINARY", "postgresql": "C"}


def _exact(field: str):
    collation = _BINARY_COLLATION.get(connection.vendor)
    return Collate(F(field), collation) if collation else F(field)


def find_problems(lo: int, hi: int) -> dict[str, list[int]]:
    """Inconsistent ids in [lo, hi); the comparison runs in the database, so no content is loaded."""
    drafts = Article.objects.filter(pk__gte=lo, pk__lt=hi)
    lives = LiveArticle.objects.filter(pk__gte=lo, pk__lt=hi)
    published = drafts.filter(status=PUBLISHED)
    same_live = LiveArticle.objects.filter(pk=OuterRef("pk"))
    missing = published.filter(~Exists(same_live))
    changed = same_live.annotate(t=_exact("title"), c=_exact("content")).filter(
        ~Q(t=OuterRef("t")) | ~Q(c=OuterRef("c")) | ~Q(status=PUBLISHED)
    )
    differing = published.annotate(t=_exact("title"), c=_exact("content")).filter(Exists(changed))
    draft_of = Article.objects.filter(pk=OuterRef("pk"))
    # Live and PUBLISHED while the draft is gone or withdrawn. (A draft edited after
    # publishing is UNPUBLISHED and keeps its older live copy: that is by design.)
    extra = lives.filter(status=PUBLISHED).filter(
        ~Exists(draft_of) | Exists(draft_of.filter(status=ArticleStatus.PRIVATE))
    )
    # A withdrawn or deleted draft may leave a non-published live row: harmless, but
    # rows without any draft are removed too.
    orphans = lives.exclude(status=PUBLISHED).filter(~Exists(draft_of))
    return {
        "missing": list(missing.values_list("pk", flat=True)),
        "differing": list(differing.values_list("pk", flat=True)),
        "extra": list(extra.values_list("pk", flat=True)) + list(orphans.values_list("pk", flat=True)),
    }


class Command(BaseCommand):
    help = (
        "Compare published drafts with live articles (missing, extra, differing title/content/status), "
        "in batches by id range; --fix repairs them from the drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair what is found")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help=f"ids per batch (default ARTICLE_CHECK_BATCH_SIZE, {settings.ARTICLE_CHECK_BATCH_SIZE})",
        )

    def handle(self, *args, fix=False, batch_size=None, verbosity=1, **options):
        batch_size = batch_size if batch_size is not None else settings.ARTICLE_CHECK_BATCH_SIZE
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        found = {"missing": 0, "extra": 0, "differing": 0}
        fixed = batches = 0
        lo = _next_id(0)
        while lo is not None:
            hi = lo + batch_size
            batches += 1
            for kind, ids in find_problems(lo, hi).items():
                found[kind] += len(ids)
                for article_id in ids:
                    if verbosity >= 2:
                        self.stdout.write(f"{kind}: article {article_id}")
                    if fix and services.article_live_repair(article_id=article_id) != "none":
                        fixed += 1
            lo = _next_id(hi)
        total = sum(found.values())
        self.stdout.write(
            f"checked {batches} batch(es) of up to {batch_size} ids: "
            f"{found['missing']} missing, {found['extra']} extra, {found['differing']} differing"
            + (f"; fixed {fixed}" if fix else "")
        )
        if total and not fix:
            raise CommandError(f"{total} inconsistent article(s); run with --fix to repair them")
