"""What the users API accepts and answers. Inputs are checked for shape and type here; the
rules on values (a valid address, a strong password, a real date) are the services', which
the browser forms share."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from tinybook.fields import StrictCharField

# webook-fe formats an empty birthday with its date library and sends the result back.
WEBOOK_FE_NO_DATE = "Invalid date"


def _text(**kwargs):
    """A JSON string taken as typed (no trimming: the services decide what spaces mean)."""
    return StrictCharField(trim_whitespace=False, allow_blank=True, **kwargs)


class SignupInput(serializers.Serializer):
    email = _text(label=pgettext_lazy("field", "email"))
    password = _text(label=pgettext_lazy("field", "password"))
    confirmPassword = _text(required=False, label=pgettext_lazy("field", "confirmPassword"),  # noqa: N815
                            help_text="also accepted as confirm_password")
    confirm_password = _text(required=False, label=pgettext_lazy("field", "confirmPassword"),
                             help_text="webook's confirmPassword, snake case")

    def validate(self, data):
        confirm = data.get("confirmPassword", data.get("confirm_password"))
        if confirm is None:
            raise serializers.ValidationError({"confirmPassword": [_("this field is required")]})
        return {"email": data["email"], "password": data["password"], "confirm_password": confirm}


class LoginInput(serializers.Serializer):
    email = _text(required=False, default="", label=pgettext_lazy("field", "email"))
    password = _text(required=False, default="", label=pgettext_lazy("field", "password"))


class SmsCodeSendInput(serializers.Serializer):
    phone = _text(required=False, default="", label=pgettext_lazy("field", "phone"),
                  help_text="E.164, or national in PHONE_DEFAULT_REGION")


class AnyCodeField(serializers.CharField):
    """A login code: anything that is not a string is no code at all ("").

    Every bad code — wrong, expired, used, malformed, of the wrong type — gets one and the
    same answer, so the answer never tells an attacker which it was.
    """

    def run_validation(self, data=serializers.empty):
        return data if isinstance(data, str) else ""


class SmsLoginInput(serializers.Serializer):
    phone = _text(required=False, default="", label=pgettext_lazy("field", "phone"))
    code = AnyCodeField(required=False)


class ProfileEditInput(serializers.Serializer):
    """Omitted fields stay as they are."""

    nickname = _text(required=False, label=pgettext_lazy("field", "nickname"))
    birthday = _text(required=False, label=pgettext_lazy("field", "birthday"),
                     help_text='YYYY-MM-DD, or "" to clear it; "Invalid date" (what webook-fe sends back '
                               "for an empty birthday) leaves it unchanged")
    aboutMe = _text(required=False, label=pgettext_lazy("field", "aboutMe"))  # noqa: N815
    about_me = _text(required=False, label=pgettext_lazy("field", "aboutMe"), help_text="aboutMe, snake case")

    def validate(self, data):
        if "aboutMe" in data:
            data["about_me"] = data.pop("aboutMe")
        if data.get("birthday") == WEBOOK_FE_NO_DATE:
            del data["birthday"]
        return data


class WechatCallbackQuery(serializers.Serializer):
    code = _text(required=False, default="", max_length=512)
    state = _text(required=False, default="", max_length=512)


class ProfileOutput(serializers.Serializer):
    Email = serializers.CharField()  # noqa: N815
    Phone = serializers.CharField()  # noqa: N815
    Nickname = serializers.CharField()  # noqa: N815
    Birthday = serializers.CharField(help_text="YYYY-MM-DD or empty")  # noqa: N815
    AboutMe = serializers.CharField()  # noqa: N815
