from django.contrib import admin
from django.urls import include, path
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
    # The apps' paths share no prefix Django could branch on (webook's paths), so a request is
    # matched against them in this order: the hottest reader paths first (docs/performance.md),
    # but portal's /articles/pub/<any word> after every other /articles/pub/... route.
    path("", include("ranking.urls")),
    path("", include("articles.urls")),
    path("", include("interactions.urls")),
    path("", include("rewards.urls")),  # /articles/pub/reward, before portal's /articles/pub/<word>
    path("", include("portal.urls")),
    path("", include("users.urls")),
    path("", include("sms.urls")),
    path("", include("payments.urls")),
]

handler404 = "tinybook.views.not_found"
handler500 = "tinybook.views.server_error"
