from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sms.models import AsyncSms
from sms.queue import async_purge, async_requeue, async_sweep
from sms.selectors import async_counts_by_status, async_due_count, provider_states


class Command(BaseCommand):
    help = "The async SMS queue: status | retry [--id N ...] [--pending] [--sweep] | purge [--days N] [--failed]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="rows by status, rows due now, provider states")
        retry = sub.add_parser("retry", help="make failed rows (or the given ids) due now with fresh attempts")
        retry.add_argument("--id", dest="ids", type=int, action="append", help="only this row (repeatable)")
        retry.add_argument("--pending", action="store_true", help="also pull waiting pending rows forward")
        retry.add_argument("--sweep", action="store_true", help="then deliver due rows in this process")
        purge = sub.add_parser("purge", help="delete sent rows (and failed with --failed) older than --days")
        purge.add_argument("--days", type=int, default=7)
        purge.add_argument("--failed", action="store_true", help="also delete failed rows")

    def handle(self, *args, action, **opts):
        if action == "status":
            for status, n in async_counts_by_status().items():
                self.stdout.write(f"{status:<8} {n}")
            self.stdout.write(f"due now  {async_due_count()}")
            for name, up in provider_states(providers=settings.SMS_PROVIDERS).items():
                state = "unknown" if up is None else ("up" if up else "DOWN")
                self.stdout.write(f"provider {name}: {state}")
        elif action == "retry":
            statuses = [AsyncSms.Status.FAILED] + ([AsyncSms.Status.PENDING] if opts["pending"] else [])
            n = async_requeue(ids=opts["ids"], statuses=statuses)
            self.stdout.write(f"requeued {n}")
            if opts["sweep"]:
                self.stdout.write(f"delivered {async_sweep()}")
        elif action == "purge":
            if opts["days"] < 0:
                raise CommandError("--days must be 0 or more")
            statuses = [AsyncSms.Status.SENT] + ([AsyncSms.Status.FAILED] if opts["failed"] else [])
            n = async_purge(statuses=statuses, older_than=timedelta(days=opts["days"]))
            self.stdout.write(f"purged {n}")
