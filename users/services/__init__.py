"""The users app's writes, by concern; every public service is importable from here.

- ``sessions``: login sessions (ssid) and their tokens, logout, refresh
- ``email_login``: sign-up with email and password, email login and its failure limits
- ``sms_login``: login by a code sent in an SMS
- ``wechat_login``: login by WeChat QR code (the HTTP client is ``users.integrations.wechat``)
- ``accounts``: find-or-create by a unique identifier
- ``profiles``: the profile and its cache
"""

from users.services.accounts import user_find_or_create
from users.services.email_login import email_normalise, password_check, user_login_email, user_signup
from users.services.profiles import profile_cache_drop, user_profile_update
from users.services.sessions import session_refresh, session_revoke, session_revoke_all, session_start
from users.services.sms_login import phone_normalise, sms_code_send, sms_code_verify, user_login_sms
from users.services.wechat_login import (
    user_login_wechat,
    wechat_auth_url,
    wechat_login_configured,
    wechat_state_new,
)

__all__ = [
    "email_normalise",
    "password_check",
    "phone_normalise",
    "profile_cache_drop",
    "session_refresh",
    "session_revoke",
    "session_revoke_all",
    "session_start",
    "sms_code_send",
    "sms_code_verify",
    "user_find_or_create",
    "user_login_email",
    "user_login_sms",
    "user_login_wechat",
    "user_profile_update",
    "user_signup",
    "wechat_auth_url",
    "wechat_login_configured",
    "wechat_state_new",
]
