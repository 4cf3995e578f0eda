from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal import demo
from ranking import services as ranking
from users.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_account_exists, demo_needed


class Command(BaseCommand):
    help = "Add demo users, articles (published and drafts), likes, collects and reads."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--articles", type=int, default=300)
        parser.add_argument("--draft-ratio", type=float, default=0.15, help="share of articles left as drafts")
        parser.add_argument("--max-likes", type=int, default=40, help="most likes one article gets")
        parser.add_argument("--max-collects", type=int, default=15, help="most collects one article gets")
        parser.add_argument("--max-reads", type=int, default=500, help="most reads one article gets")
        parser.add_argument("--max-follows", type=int, default=15, help="most authors one user follows")
        parser.add_argument("--rewards", type=int, default=12, help="paid rewards (with payments and credits)")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for the same data twice")
        parser.add_argument("--batch-size", type=int, default=settings.SEED_DEMO_BATCH_SIZE)
        parser.add_argument("--if-empty", action="store_true", help="do nothing unless the database has no user")

    def handle(self, *args, **o):
        for name in ("users", "articles", "max_likes", "max_collects", "max_reads", "rewards", "max_follows"):
            if o[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must not be negative")
        if o["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if not 0 <= o["draft_ratio"] <= 1:
            raise CommandError("--draft-ratio must be between 0 and 1")
        if o["if_empty"] and not demo_needed():
            self.stdout.write("seed_demo: the database already has users; nothing added")
            if demo_account_exists():
                self.stdout.write(f"demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
            return
        with tqdm(total=max(o["users"], 1) + o["articles"] + (o["users"] if o["max_follows"] else 0), unit="rows", file=self.stderr,
                  disable=o["verbosity"] < 1) as bar:
            done = demo.demo_seed(
                users=o["users"], articles=o["articles"], draft_ratio=o["draft_ratio"], max_likes=o["max_likes"],
                max_collects=o["max_collects"], max_reads=o["max_reads"], seed=o["seed"],
                batch_size=o["batch_size"], progress=bar.update, rewards=o["rewards"],
                max_follows=o["max_follows"],
            )
        outcome = ranking.hot_list_refresh(trigger="command")
        self.stdout.write(
            f"seed_demo: {done.users} users, {done.articles} articles ({done.published} published), "
            f"{done.likes} likes, {done.collects} collects, {done.reads} reads, {done.rewards} rewards, "
            f"{done.follows} follows; "
            f"hot list: {outcome}"
        )
        self.stdout.write(f"demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
