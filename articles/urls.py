from django.urls import path

from articles import views
from articles.api import views as api

app_name = "articles"

urlpatterns = [
    # API (webook-compatible)
    path("articles/edit", api.ArticleEditView.as_view(), name="api-edit"),
    path("articles/publish", api.ArticlePublishView.as_view(), name="api-publish"),
    path("articles/withdraw", api.ArticleWithdrawView.as_view(), name="api-withdraw"),
    path("articles/list", api.ArticleListView.as_view(), name="api-list"),
    path("articles/detail/<looseid:article_id>", api.ArticleDetailView.as_view(), name="api-detail"),
    path("articles/pub/list", api.PublicListView.as_view(), name="api-pub-list"),
    path("articles/upload", api.ImageUploadView.as_view(), name="upload"),
    # Pages (the readers' article page and the dashboard are the portal's)
    path("dashboard/articles/new", views.new_page, name="new-page"),
    path("dashboard/articles/<int:article_id>/edit", views.edit_page, name="edit-page"),
    path("dashboard/articles/<int:article_id>/publish", views.publish_page, name="publish-page"),
    path("dashboard/articles/<int:article_id>/withdraw", views.withdraw_page, name="withdraw-page"),
]
