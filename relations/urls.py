from django.urls import path

from relations import views
from relations.api import views as api

app_name = "relations"

urlpatterns = [
    # API
    path("relations/follow", api.FollowView.as_view(), name="api-follow"),
    path("relations/followees", api.FolloweesView.as_view(), name="api-followees"),
    path("relations/followers", api.FollowersView.as_view(), name="api-followers"),
    path("users/card/<looseid:uid>", api.CardView.as_view(), name="api-card"),
    path("feed", api.FeedView.as_view(), name="api-feed"),
    # Pages
    path("u/<int:uid>", views.author_page, name="author"),
    path("u/<int:uid>/followers", views.followers_page, name="followers-page"),
    path("u/<int:uid>/following", views.following_page, name="following-page"),
    path("u/<int:uid>/follow", views.follow_form, name="follow-form"),
]
