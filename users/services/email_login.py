"""Sign-up with an email address and a password, and the email login with its failure limits."""

import string
import time
import uuid

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tinybook import kv
from tinybook.exceptions import ApplicationError, DependencyError, TooManyAttemptsError
from users.models import User

_login_failures_script = kv.Script("login_failures")


def _invalid_email() -> ApplicationError:
    return ApplicationError(_("enter a valid email address"), field="email",
                            label=pgettext_lazy("field", "email"))


def _invalid_password(message) -> ApplicationError:
    return ApplicationError(message, field="password", label=pgettext_lazy("field", "password"))


def email_normalise(email: str) -> str:
    if not email.strip():
        raise _invalid_email()
    email = User.objects.normalize_email_address(email)
    if len(email) > User._meta.get_field("email").max_length:
        raise _invalid_email()
    try:
        validate_email(email)
    except ValidationError:
        raise _invalid_email() from None
    return email


def password_check(*, password: str, user: User | None = None) -> None:
    """SPEC rules (length, a letter, a digit, a special printable-ASCII character), then
    Django's validators. Raises ApplicationError with the first failed rule."""
    lo, hi = settings.PASSWORD_MIN_LENGTH, settings.PASSWORD_MAX_LENGTH
    if not lo <= len(password) <= hi:
        raise _invalid_password(_("must be %(lo)d to %(hi)d characters") % {"lo": lo, "hi": hi})
    special = set(string.punctuation)  # printable ASCII that is neither letter, digit nor space
    if not (
        any(c in string.ascii_letters for c in password)
        and any(c in string.digits for c in password)
        and any(c in special for c in password)
    ):
        raise _invalid_password(_("must contain a letter, a digit and a special character such as $@!%*#?&"))
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise _invalid_password(exc.messages[0]) from None


def user_signup(*, email: str, password: str, confirm_password: str) -> User:
    email = email_normalise(email)
    if password != confirm_password:
        raise ApplicationError(_("the two passwords do not match"), field="confirmPassword",
                               label=pgettext_lazy("field", "confirmPassword"))
    password_check(password=password, user=User(email=email))
    user = User(email=email)
    user.set_password(password)
    try:
        # The unique index decides between concurrent sign-ups, not a read-then-write.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ApplicationError(_("this email is already registered"), field="email",
                               label=pgettext_lazy("field", "email")) from None
    return user


def _login_failure_keys(email: str, ip: str):
    keys = [kv.login_failures_account_key(email), kv.login_failures_ip_key(ip)]
    limits = [settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_IP]
    return keys, limits


def _login_failures(mode: str, email: str, ip: str) -> bool:
    keys, limits = _login_failure_keys(email, ip)
    now_ms = int(time.time() * 1000)
    args = [mode, now_ms, settings.LOGIN_FAILURE_WINDOW * 1000, *limits, f"{now_ms}-{uuid.uuid4().hex[:12]}"]
    try:
        return bool(_login_failures_script(keys=keys, args=args))
    except kv.REDIS_ERRORS:
        # Without the limiter a password could be guessed freely: refuse rather than guess.
        raise DependencyError() from None


def user_login_email(*, email: str, password: str, ip: str) -> User:
    """The user for a good email and password. Failures are limited per account and per IP
    (sliding windows); once a window is full even the right password is refused."""
    if not email or not password:
        raise ApplicationError(_("email and password are required"))
    email = User.objects.normalize_email_address(email)
    if not _login_failures("check", email, ip):
        raise TooManyAttemptsError()
    user = User.objects.filter(email=email).first()
    if user is None:
        # Spend the same hashing time as a real check, so timing does not reveal accounts.
        User().set_password(password)
    if user is None or not user.check_password(password) or not user.is_active:
        _login_failures("record", email, ip)
        raise ApplicationError(_("wrong email or password"))
    return user
