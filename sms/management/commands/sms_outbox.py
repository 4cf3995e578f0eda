from django.core.management.base import BaseCommand

from sms.selectors import outbox_list


class Command(BaseCommand):
    help = (
        "Print the console provider's dev outbox, one message per line: "
        "time, phone, text. Oldest first, newest last."
    )

    def add_arguments(self, parser):
        parser.add_argument("-n", "--limit", type=int, default=None, help="only the newest N messages")

    def handle(self, *args, limit=None, **options):
        rows = outbox_list(limit=limit)
        if not rows:
            self.stdout.write("(the outbox is empty)")
        for m in rows:
            text = m.text.replace("\n", " ")
            self.stdout.write(f"{m.created_at:%Y-%m-%d %H:%M:%S} {m.phone} {text}")
