import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tinybook import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", views.favicon, name="favicon"),
    # The apps' paths share no prefix Django could branch on (webook's paths), so a request is
    # matched against them in this order: the hottest reader paths first (docs/performance.md),
    # but portal's /articles/pub/<any word> after every other /articles/pub/... route.
    path("", include("ranking.urls")),
    path("", include("articles.urls")),
    path("", include("interactions.urls")),
    path("", include("rewards.urls")),  # /articles/pub/reward, before portal's /articles/pub/<word>
    path("", include("relations.urls")),  # /users/card/<id>, /u/<id>, /feed: before portal and users
    path("", include("portal.urls")),
    path("", include("users.urls")),
    path("", include("sms.urls")),
    path("", include("payments.urls")),
]

# Images of local storage are served by the site itself (docs/operations.md); with S3 readers
# fetch them from MEDIA_PUBLIC_BASE and this route answers 404.
_media_path = urlsplit(settings.MEDIA_URL).path.lstrip("/") if settings.MEDIA_STORAGE == "local" else "media/"
urlpatterns.append(re_path(rf"^{re.escape(_media_path)}(?P<path>.+)$", views.media, name="media"))

handler400 = "tinybook.views.bad_request"
handler404 = "tinybook.views.not_found"
handler500 = "tinybook.views.server_error"
