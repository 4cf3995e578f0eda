from django.core.management.base import BaseCommand, CommandError

from relations import feed, selectors
from tinybook.exceptions import NotFoundError


class Command(BaseCommand):
    help = ("Rebuild readers' feed inboxes from the database (they are a cache; a missing one is rebuilt "
            "at the next read anyway). Use after changing FEED_PUSH_MAX_FOLLOWERS or FEED_INBOX_SIZE.")

    def add_arguments(self, parser):
        parser.add_argument("uids", nargs="+", type=int, metavar="UID", help="the readers whose inbox to rebuild")

    def handle(self, *args, uids, **options):
        for uid in uids:
            try:
                selectors.active_user(uid)
            except NotFoundError:
                raise CommandError(f"no active user {uid}") from None
            n = feed.inbox_rebuild(uid)
            self.stdout.write(f"feed_rebuild: user {uid}: {n} articles in the inbox")
