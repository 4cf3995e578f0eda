import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
django.setup(set_prefix=False)

from tinybook.handlers import TinyBookWSGIHandler  # noqa: E402

# Django's handler, reusing the URL match RequestMiddleware made (one resolution per request).
_django = TinyBookWSGIHandler()

from tinybook.chunked import ChunkedBodyMiddleware  # noqa: E402  (after Django is set up)

# Bodies without a Content-Length are read, or refused, before Django sees the request.
application = ChunkedBodyMiddleware(_django)
