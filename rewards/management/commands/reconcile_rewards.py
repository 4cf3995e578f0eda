from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rewards.reconcile import reconcile


class Command(BaseCommand):
    help = ("Compare rewards, payments and ledger entries; list every disagreement. --fix repairs the "
            "safe ones (a paid payment's reward, a paid reward's missing credit, a balance off its entries). "
            "Exits non-zero when a disagreement is left.")

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair what is safe to repair")
        parser.add_argument("--batch-size", type=int, default=settings.REWARD_RECONCILE_BATCH)

    def handle(self, *args, fix=False, batch_size=None, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        report = reconcile(fix=fix, batch_size=batch_size)
        for finding in report.findings:
            self.stdout.write(str(finding))
        fixed = len(report.findings) - len(report.left)
        self.stdout.write(f"reconcile_rewards: rewards checked: {report.rewards}; disagreements: "
                          f"{len(report.findings)}, fixed: {fixed}, left: {len(report.left)}")
        if report.left:
            raise CommandError(f"disagreements left: {len(report.left)}", returncode=1)
