from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from interactions import services


class Command(BaseCommand):
    help = "Rebuild the like ranking (Redis sorted set) from the counters, in batches, and swap it in."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=settings.LIKE_RANKING_REBUILD_BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1")
            return
        with tqdm(unit="rows", disable=options["verbosity"] < 1, file=self.stderr) as bar:
            total = services.like_ranking_rebuild(batch_size=batch_size, progress=bar.update)
        self.stdout.write(f"like ranking rebuilt: {total} entries")
