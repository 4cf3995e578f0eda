from django.core.management.base import BaseCommand

from search import services


class Command(BaseCommand):
    help = ("Compare the search index with the live articles and the people: missing (live, not indexed), "
            "stale (indexed before the last change), orphaned (indexed, no longer live). --fix repairs them. "
            "Exit status 1 when something was found (and not fixed).")

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=[*services.KINDS, "all"], default="all")
        parser.add_argument("--fix", action="store_true", help="repair what is found")
        parser.add_argument("--show", type=int, default=20, help="ids listed per finding (default 20)")

    def handle(self, *args, **options):
        kinds = services.KINDS if options["kind"] == "all" else (options["kind"],)
        bad = False
        for kind in kinds:
            report = services.check(kind, fix=options["fix"], limit=None)
            for label, ids in (("missing", report.missing), ("stale", report.stale), ("orphaned", report.orphaned)):
                shown = ", ".join(str(i) for i in ids[: options["show"]]) + (" …" if len(ids) > options["show"] else "")
                self.stdout.write(f"{kind}: {len(ids)} {label}" + (f": {shown}" if ids else ""))
            if report.ok:
                self.stdout.write(f"{kind}: index in step ({report.checked} checked)")
            elif options["fix"]:
                self.stdout.write(f"{kind}: repaired")
            else:
                bad = True
        if bad:
            raise SystemExit(1)
