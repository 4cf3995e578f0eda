from django.urls import path

from interactions.api.views import LikeRankingView
from ranking.api.views import HotListView

app_name = "ranking"

urlpatterns = [
    path("ranking/hot", HotListView.as_view(), name="hot"),
    # The like ranking belongs to interactions (its sorted set).
    path("ranking/likes", LikeRankingView.as_view(), name="likes"),
]
