app_name = "sms"

urlpatterns = []
