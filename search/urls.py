from django.urls import path

from search import views
from search.api.views import SearchView

app_name = "search"

urlpatterns = [
    path("search", SearchView.as_view(), name="api"),
    path("search/results", views.results_page, name="page"),
]
