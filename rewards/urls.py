from django.urls import path

from rewards import views
from rewards.api import views as api

app_name = "rewards"

urlpatterns = [
    # API (webook-compatible: the reward button and its status)
    path("articles/pub/reward", api.RewardCreateView.as_view(), name="api-reward"),
    path("reward/detail", api.RewardDetailView.as_view(), name="api-reward-detail"),
    path("accounts/me", api.AccountMeView.as_view(), name="api-account-me"),
    path("rewards/received", api.ReceivedView.as_view(), name="api-received"),
    # The reward dialog's QR code
    path("reward/qr/<int:reward_id>", views.reward_qr, name="qr"),
]
