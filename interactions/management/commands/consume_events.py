import signal

from django.core.management.base import BaseCommand

from interactions.consumer import ReadConsumer


class Command(BaseCommand):
    help = "Apply read events from the Redis stream to the counters (long-running; SIGTERM finishes the batch)."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="consumer name in the group (default: host-pid)")
        parser.add_argument("--exit-when-idle", type=int, default=None, metavar="ROUNDS",
                            help="stop after this many empty rounds in a row (tests, one-off catch-up)")

    def handle(self, *args, name=None, exit_when_idle=None, **options):
        consumer = ReadConsumer(name=name)

        def stop(signum, frame):
            consumer.stopping = True  # the current batch is finished and acknowledged first

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"consuming {consumer.stream} as {consumer.name}")
        self.stdout.flush()
        consumer.run(max_idle_rounds=exit_when_idle)
        self.stdout.write("stopped")
