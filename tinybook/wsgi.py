import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
django.setup(set_prefix=False)

from tinybook import tracing  # noqa: E402
from tinybook.handlers import TinyBookWSGIHandler  # noqa: E402

# Before the application loads its middleware. Under gunicorn, post_fork did it already
# (deploy/gunicorn.conf.py); this call is for other WSGI servers and changes nothing then.
tracing.setup()
# Django's handler, reusing the URL match RequestMiddleware made (one resolution per request).
_django = TinyBookWSGIHandler()

from tinybook.chunked import ChunkedBodyMiddleware  # noqa: E402  (after Django is set up)

# Bodies without a Content-Length are read, or refused, before Django sees the request.
application = ChunkedBodyMiddleware(_django)
