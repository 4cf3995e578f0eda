from django.urls import path, re_path

from payments import views

app_name = "payments"

urlpatterns = [
    path("pay/callback", views.pay_callback, name="callback"),
    # out_trade_no: WeChat Pay's charset and length; anything else is not routed (404).
    re_path(r"^pay/dev/(?P<out_trade_no>[0-9A-Za-z_|*-]{6,32})$", views.dev_pay_page, name="dev-pay"),
]
