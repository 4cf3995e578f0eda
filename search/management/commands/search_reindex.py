from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import services


class Command(BaseCommand):
    help = ("Rebuild the search index from the live articles and the people, in batches (bounded memory); "
            "the index stays searchable meanwhile, and what is no longer live is removed at the end.")

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=[*services.KINDS, "all"], default="all")
        parser.add_argument("--batch-size", type=int, default=settings.SEARCH_REINDEX_BATCH_SIZE)

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        kinds = services.KINDS if options["kind"] == "all" else (options["kind"],)
        for kind in kinds:
            with tqdm(total=services.source_count(kind), unit=kind, desc=kind, file=self.stderr,
                      disable=options["verbosity"] < 1) as bar:
                written = services.reindex(kind, batch_size=options["batch_size"], progress=bar.update)
            self.stdout.write(f"{kind}: {written} indexed")
