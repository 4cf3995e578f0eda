from django.urls import path

from users.api import views as api

app_name = "users"

urlpatterns = [
    path("users/refresh_token", api.RefreshTokenView.as_view(), name="refresh-token"),
    path("users/logout", api.LogoutView.as_view(), name="logout"),
    path("users/logout_all", api.LogoutAllView.as_view(), name="logout-all"),
]
