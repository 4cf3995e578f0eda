from django.urls import path

from sms import views

app_name = "sms"

urlpatterns = [
    path("sms/outbox", views.outbox_page, name="outbox"),
]
