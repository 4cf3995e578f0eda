from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments import services


class Command(BaseCommand):
    help = "Compare comment counters and thread reply counts with the comments; --fix repairs them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair what is wrong")
        parser.add_argument("--batch-size", type=int, default=settings.COMMENT_CHECK_BATCH_SIZE)

    def handle(self, *args, fix, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        done = services.comment_counts_check(fix=fix, batch_size=batch_size)
        verb = "repaired" if fix else "found"
        self.stdout.write(f"check_comments: {done['objects']} objects; {verb} {done['counts_wrong']} wrong counts, "
                          f"{done['threads_wrong']} wrong reply counts")
