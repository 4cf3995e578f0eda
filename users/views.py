"""Browser pages: Django session auth + CSRF, on the same services as the API."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tinybook.net import client_ip
from tinybook.pages import submit
from users import selectors, services, wechat_state

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignupForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("Email"), max_length=254, widget=forms.EmailInput)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False)
    confirm_password = forms.CharField(
        label=gettext_lazy("Confirm password"), widget=forms.PasswordInput, strip=False
    )


class LoginForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("Email"), max_length=254, widget=forms.EmailInput)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False)


class SmsLoginForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=32, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ProfileForm(forms.Form):
    nickname = forms.CharField(label=gettext_lazy("Nickname"), required=False, max_length=200)
    birthday = forms.CharField(
        label=gettext_lazy("Birthday"), required=False, help_text=gettext_lazy("YYYY-MM-DD, or empty")
    )
    about_me = forms.CharField(label=gettext_lazy("About me"), required=False, widget=forms.Textarea)


_FIELD_ALIASES = {"confirmPassword": "confirm_password", "aboutMe": "about_me"}


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def signup_page(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done, user = submit(form, services.user_signup, field_aliases=_FIELD_ALIASES, email=d["email"],
                            password=d["password"], confirm_password=d["confirm_password"])
        if done:
            login(request, user, backend=SESSION_BACKEND)
            messages.success(request, _("signed up"))
            return redirect("users:profile-page")
    return render(request, "users/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_page(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done, user = submit(form, services.user_login_email, email=d["email"], password=d["password"],
                            ip=client_ip(request))
        if done:
            login(request, user, backend=SESSION_BACKEND)
            return redirect(_next_url(request))
    return render(request, "users/login.html", {
        "form": form, "sms_form": SmsLoginForm(), "next": _next_url(request),
        "wechat": services.wechat_login_configured(),
    })


@require_http_methods(["GET", "POST"])
def login_sms_page(request):
    form = SmsLoginForm(request.POST or None)
    countdown = 0
    if request.method == "POST" and form.is_valid():
        phone, code = form.cleaned_data["phone"], form.cleaned_data["code"]
        if request.POST.get("action") == "send":
            sent, _nothing = submit(form, services.sms_code_send, phone=phone, ip=client_ip(request))
            if sent:
                messages.info(request, _("code sent"))
                countdown = settings.SMS_CODE_RESEND_INTERVAL
        elif not code:
            form.add_error("code", _("enter the code we sent you"))
        else:
            done, user = submit(form, services.user_login_sms, phone=phone, code=code)
            if done:
                login(request, user, backend=SESSION_BACKEND)
                return redirect(_next_url(request))
    return render(
        request,
        "users/login_sms.html",
        {"sms_form": form, "countdown": countdown, "next": _next_url(request)},
    )


@require_POST
def logout_page(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def profile_page(request):
    profile = selectors.user_profile_get(user_id=request.user.id)
    return render(request, "users/profile.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_page(request):
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            done, _nothing = submit(form, services.user_profile_update, field_aliases=_FIELD_ALIASES,
                                    user_id=request.user.id, nickname=d["nickname"], birthday=d["birthday"],
                                    about_me=d["about_me"])
            if done:
                messages.success(request, _("saved"))
                return redirect("users:profile-page")
    else:
        p = selectors.user_profile_get(user_id=request.user.id) or {}
        form = ProfileForm(
            initial={"nickname": p.get("Nickname"), "birthday": p.get("Birthday"), "about_me": p.get("AboutMe")}
        )
    return render(request, "users/profile_edit.html", {"form": form})


def wechat_page(request):
    """Start a WeChat QR login from the browser: state cookie, then off to WeChat."""
    if not services.wechat_login_configured():
        messages.error(request, _("WeChat login is not configured"))
        return redirect("users:login-page")
    state = services.wechat_state_new()
    url = services.wechat_auth_url(state=state, callback_url=request.build_absolute_uri(wechat_state.CALLBACK_PATH))
    response = redirect(url)
    wechat_state.state_cookie_set(response, state)
    return response
