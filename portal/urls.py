from django.urls import path

from portal import views
from portal.api import views as api

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/pub/<looseid:article_id>", api.PublicDetailView.as_view(), name="api-pub-detail"),
    path("articles/<int:article_id>", views.article_page, name="article"),
    path("dashboard/articles", views.dashboard, name="dashboard"),
    path("following", views.following_page, name="following"),
]
