from django.urls import path

from comments import views
from comments.api import views as api

app_name = "comments"

urlpatterns = [
    # API (webook style)
    path("comments/create", api.CreateView.as_view(), name="api-create"),
    path("comments/delete", api.DeleteView.as_view(), name="api-delete"),
    path("comments/list", api.ListView.as_view(), name="api-list"),
    path("comments/replies", api.RepliesView.as_view(), name="api-replies"),
    # The article page's forms
    path("comments/post", views.comment_post, name="post"),
    path("comments/remove", views.comment_remove, name="remove"),
]
