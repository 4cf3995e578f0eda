"""List stored article images that no article refers to; remove them with --fix."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from articles import media


class Command(BaseCommand):
    help = (
        "Images in the media storage that no article (draft or live copy, any status) refers to "
        "and that are older than MEDIA_CHECK_MIN_AGE; --fix removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="remove the images listed")

    def handle(self, *args, fix=False, **options):
        min_age = settings.MEDIA_CHECK_MIN_AGE
        now = timezone.now()
        found = removed = size = 0
        for image in media.media_unreferenced(min_age=min_age, now=now):
            found += 1
            size += image.size
            age_h = (now - image.modified).total_seconds() / 3600
            self.stdout.write(f"unreferenced: {image.name} ({filesizeformat(image.size)}, {age_h:.0f} h old)")
            if fix:
                media.media_delete(name=image.name)
                removed += 1
        self.stdout.write(
            f"{found} unreferenced image(s) older than {min_age} s, {filesizeformat(size)}"
            + (f"; removed {removed}" if fix else ("; run with --fix to remove them" if found else ""))
        )
