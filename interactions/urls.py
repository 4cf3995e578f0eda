from django.urls import path

from interactions import views
from interactions.api import views as api

app_name = "interactions"

urlpatterns = [
    # API (webook-compatible)
    path("articles/pub/like", api.LikeView.as_view(), name="api-like"),
    path("articles/pub/collect", api.CollectView.as_view(), name="api-collect"),
    path("articles/pub/liked", api.LikedListView.as_view(), name="api-liked"),
    path("articles/pub/collected", api.CollectedListView.as_view(), name="api-collected"),
    path("collections/create", api.CollectionCreateView.as_view(), name="api-collection-create"),
    path("collections/rename", api.CollectionRenameView.as_view(), name="api-collection-rename"),
    path("collections/delete", api.CollectionDeleteView.as_view(), name="api-collection-delete"),
    path("collections/list", api.CollectionListView.as_view(), name="api-collection-list"),
    path("collections/<str:collection_id>/articles", api.CollectionArticlesView.as_view(),
         name="api-collection-articles"),
    path("ranking/likes", api.LikeRankingView.as_view(), name="likes"),
    # Pages
    path("collections", views.collections_page, name="collections-page"),
]
