app_name = "ranking"

urlpatterns = []
