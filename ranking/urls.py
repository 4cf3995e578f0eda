from django.urls import path

from ranking.api.views import HotListView

app_name = "ranking"

urlpatterns = [
    path("ranking/hot", HotListView.as_view(), name="hot"),
]
