import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")

from tinybook import tracing  # noqa: E402

# Before the application loads its middleware. Under gunicorn, post_fork did it already
# (deploy/gunicorn.conf.py); this call is for other WSGI servers and changes nothing then.
tracing.setup()
_django = get_wsgi_application()

from tinybook.chunked import ChunkedBodyMiddleware  # noqa: E402  (after Django is set up)

# Bodies without a Content-Length are read, or refused, before Django sees the request.
application = ChunkedBodyMiddleware(_django)
