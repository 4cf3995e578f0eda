from django.urls import path

from tinybook.tests import probe_views
from tinybook.urls import handler404, handler500  # noqa: F401
from tinybook.urls import urlpatterns as project_urls

urlpatterns = [
    path("probe/echo", probe_views.EchoView.as_view()),
    path("probe/refuse", probe_views.RefuseView.as_view()),
    path("probe/boom", probe_views.BoomView.as_view()),
    *project_urls,
]
