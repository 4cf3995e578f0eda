from django.core.management.base import BaseCommand

from payments import outbox, services


class Command(BaseCommand):
    help = ("Run the payments' periodic work once: ask the provider about unpaid orders (closing expired "
            "ones) and relay due outbox events. Beat does this in the services profile; the embedded "
            "profile has no beat.")

    def handle(self, *args, **options):
        outcomes = services.payment_sync_due()
        relayed = outbox.outbox_sweep()
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "none due"
        self.stdout.write(f"payments_sync: orders: {summary}; outbox events relayed: {relayed}")
