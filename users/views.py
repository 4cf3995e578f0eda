"""Browser pages: Django session auth + CSRF, on the same services as the API."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tinybook.fields import TextFormField
from tinybook.net import client_ip
from tinybook.pages import submit
from users import selectors, services, wechat_state

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Every text field is a TextFormField: the text rule of the API (tinybook.fields.text_clean).
# Secrets and identifiers are verbatim: refused, never altered.
class SignupForm(forms.Form):
    email = TextFormField(label=gettext_lazy("Email"), max_length=254, widget=forms.EmailInput, verbatim=True)
    password = TextFormField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False,
                             verbatim=True)
    confirm_password = TextFormField(
        label=gettext_lazy("Confirm password"), widget=forms.PasswordInput, strip=False, verbatim=True
    )


class LoginForm(forms.Form):
    email = TextFormField(label=gettext_lazy("Email"), max_length=254, widget=forms.EmailInput, verbatim=True)
    password = TextFormField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False,
                             verbatim=True)


class SmsLoginForm(forms.Form):
    phone = TextFormField(
        label=gettext_lazy("Phone"), max_length=32, widget=forms.TextInput(attrs={"inputmode": "tel"}),
        verbatim=True,
    )
    code = TextFormField(
        verbatim=True,
        label=gettext_lazy("Code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ProfileForm(forms.Form):
    """Each field is checked on its own, so every wrong field shows its error at once; the
    service applies the same rules again for the API, which has no form.

    The nickname is optional, as in the service, where an empty nickname means "keep it" (a new
    user saves a profile without choosing one); once set, it can be changed but not removed,
    and the form says so instead of keeping the old one silently.
    """

    nickname = TextFormField(label=gettext_lazy("Nickname"), required=False)
    birthday = TextFormField(
        label=gettext_lazy("Birthday"), required=False, help_text=gettext_lazy("YYYY-MM-DD, or empty")
    )
    about_me = TextFormField(label=gettext_lazy("About me"), required=False, widget=forms.Textarea)

    def __init__(self, *args, current_nickname: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current_nickname = current_nickname
        self.fields["nickname"].help_text = _("optional; once set, it can be changed but not removed")
        self.fields["about_me"].help_text = _("optional, at most %(n)d characters") % {
            "n": settings.PROFILE_ABOUT_ME_MAX_LENGTH
        }

    def clean_nickname(self):
        nickname, limit = self.cleaned_data["nickname"], settings.PROFILE_NICKNAME_MAX_LENGTH
        if not nickname and self.current_nickname:
            raise forms.ValidationError(_("a nickname can be changed but not removed"))
        if len(nickname) > limit:
            raise forms.ValidationError(_("at most %(n)d characters") % {"n": limit})
        return nickname

    def clean_birthday(self):
        value = self.cleaned_data["birthday"]
        if value == "":
            return value
        try:
            day = datetime.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            day = None
        if day is None or day > timezone.localdate() or day.year < settings.PROFILE_BIRTHDAY_MIN_YEAR:
            raise forms.ValidationError(_("use the format YYYY-MM-DD, a real date, not in the future"))
        return value

    def clean_about_me(self):
        about_me, limit = self.cleaned_data["about_me"], settings.PROFILE_ABOUT_ME_MAX_LENGTH
        if len(about_me) > limit:
            raise forms.ValidationError(_("at most %(n)d characters") % {"n": limit})
        return about_me


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
            done, sent_now = submit(form, services.sms_code_send, phone=phone, ip=client_ip(request))
            if done:
                messages.info(request, _("code sent") if sent_now else _("the code will arrive shortly"))
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
        form = ProfileForm(request.POST, current_nickname=request.user.nickname or "")
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
            initial={"nickname": p.get("Nickname"), "birthday": p.get("Birthday"), "about_me": p.get("AboutMe")},
            current_nickname=p.get("Nickname") or "",
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
