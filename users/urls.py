from django.urls import path

from users import views as pages
from users.api import views as api

app_name = "users"

urlpatterns = [
    path("users/signup", api.SignupView.as_view(), name="signup"),
    path("users/login", api.LoginView.as_view(), name="login"),
    path("users/login_sms/code/send", api.SmsCodeSendView.as_view(), name="login-sms-code-send"),
    path("users/login_sms", api.SmsLoginView.as_view(), name="login-sms"),
    path("oauth2/wechat/authurl", api.WechatAuthUrlView.as_view(), name="wechat-authurl"),
    path("oauth2/wechat/callback", api.WechatCallbackView.as_view(), name="wechat-callback"),
    path("users/refresh_token", api.RefreshTokenView.as_view(), name="refresh-token"),
    path("users/logout", api.LogoutView.as_view(), name="logout"),
    path("users/logout_all", api.LogoutAllView.as_view(), name="logout-all"),
    path("users/profile", api.ProfileView.as_view(), name="profile"),
    path("users/edit", api.ProfileEditView.as_view(), name="edit"),
    # Browser pages (session auth + CSRF), same services.
    path("account/signup", pages.signup_page, name="signup-page"),
    path("account/login", pages.login_page, name="login-page"),
    path("account/login/sms", pages.login_sms_page, name="login-sms-page"),
    path("account/login/wechat", pages.wechat_page, name="wechat-page"),
    path("account/logout", pages.logout_page, name="logout-page"),
    path("account/profile", pages.profile_page, name="profile-page"),
    path("account/profile/edit", pages.profile_edit_page, name="profile-edit-page"),
]
