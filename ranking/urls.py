from django.urls import path

from interactions.api.views import LikeRankingView

app_name = "ranking"

urlpatterns = [
    # The like ranking belongs to interactions (its sorted set); the hot list will join here.
    path("ranking/likes", LikeRankingView.as_view(), name="likes"),
]
