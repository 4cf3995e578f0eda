from django.core.management.base import BaseCommand

from ranking import services


class Command(BaseCommand):
    help = "Recompute the hot list now (under the same lock as the beat task) and print the outcome."

    def handle(self, *args, **options):
        outcome = services.hot_list_refresh(trigger="command")
        self.stdout.write(outcome)
