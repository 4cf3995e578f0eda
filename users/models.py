from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users.names import display_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    @staticmethod
    def normalize_email_address(email: str | None) -> str | None:
        """Email addresses are stored lower-cased: one address, one account."""
        if not email:
            return None
        return email.strip().lower()

    def _create_user(self, email, password, **extra):
        user = self.model(email=self.normalize_email_address(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A TinyBook account. Email, phone and WeChat open id each identify it, or are NULL."""

    email = models.EmailField(_("email"), max_length=254, unique=True, null=True, blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, unique=True, null=True, blank=True, help_text=_("E.164, e.g. +8613800000000")
    )
    wechat_open_id = models.CharField(_("WeChat open id"), max_length=64, unique=True, null=True, blank=True)
    wechat_union_id = models.CharField(_("WeChat union id"), max_length=64, blank=True, default="", db_index=True)
    nickname = models.CharField(_("nickname"), max_length=20, blank=True, default="")
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    about_me = models.CharField(_("about me"), max_length=200, blank=True, default="")
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email or self.phone or self.nickname or f"user {self.pk}"

    @property
    def display_name(self) -> str:
        """What other people see: the nickname, else a neutral name from the id (``users.names``)."""
        return display_name(self.pk, self.nickname)


class LoginSession(models.Model):
    """One login (``ssid``): the database's record of whether its tokens are still good.

    Redis caches the per-request answer (``users.services.sessions``); this row is the truth it
    is read back from when Redis has lost it (a restart without persistence, a flush, an
    eviction), so a logout is never forgotten. ``refresh_jti`` is the one refresh token of the
    session that may still be used: rotation is a conditional UPDATE, so a second use is seen.
    Deleting the user deletes its sessions (and so refuses their tokens).
    """

    ssid = models.CharField(_("session id"), max_length=32, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("user"))
    refresh_jti = models.CharField(_("current refresh token id"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
        indexes = [models.Index(fields=["user", "expires_at"], name="login_session_user_live")]

    def __str__(self):
        return f"{self.ssid} ({self.user_id})"
