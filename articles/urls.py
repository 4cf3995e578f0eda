from django.urls import path, register_converter

from articles import views
from articles.api import views as api

app_name = "articles"


class LooseIdConverter:
    """Anything number-like reaches the view, which answers code 4 unless it is a valid id.

    Letters are not matched, so ``/articles/pub/like`` and friends (interactions) are free.
    """

    regex = r"[0-9.eE+-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(LooseIdConverter, "looseid")

urlpatterns = [
    # API (webook-compatible)
    path("articles/edit", api.ArticleEditView.as_view(), name="api-edit"),
    path("articles/publish", api.ArticlePublishView.as_view(), name="api-publish"),
    path("articles/withdraw", api.ArticleWithdrawView.as_view(), name="api-withdraw"),
    path("articles/list", api.ArticleListView.as_view(), name="api-list"),
    path("articles/detail/<looseid:article_id>", api.ArticleDetailView.as_view(), name="api-detail"),
    path("articles/pub/list", api.PublicListView.as_view(), name="api-pub-list"),
    path("articles/pub/<looseid:article_id>", api.PublicDetailView.as_view(), name="api-pub-detail"),
    # Pages
    path("articles/<int:article_id>", views.read_page, name="read-page"),
    path("dashboard/articles", views.dashboard, name="dashboard"),
    path("dashboard/articles/new", views.new_page, name="new-page"),
    path("dashboard/articles/<int:article_id>/edit", views.edit_page, name="edit-page"),
    path("dashboard/articles/<int:article_id>/publish", views.publish_page, name="publish-page"),
    path("dashboard/articles/<int:article_id>/withdraw", views.withdraw_page, name="withdraw-page"),
]
