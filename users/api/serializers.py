"""Request/response shapes for the OpenAPI description; services do the validating."""

from rest_framework import serializers


class SignupInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField()
    confirmPassword = serializers.CharField(help_text="also accepted as confirm_password")  # noqa: N815


class LoginInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField()


class SmsCodeSendInput(serializers.Serializer):
    phone = serializers.CharField(help_text="E.164, or national in PHONE_DEFAULT_REGION")


class SmsLoginInput(serializers.Serializer):
    phone = serializers.CharField()
    code = serializers.CharField()


class ProfileOutput(serializers.Serializer):
    Email = serializers.CharField()  # noqa: N815
    Phone = serializers.CharField()  # noqa: N815
    Nickname = serializers.CharField()  # noqa: N815
    Birthday = serializers.CharField(help_text="YYYY-MM-DD or empty")  # noqa: N815
    AboutMe = serializers.CharField()  # noqa: N815


class ProfileEditInput(serializers.Serializer):
    nickname = serializers.CharField(required=False)
    birthday = serializers.CharField(required=False, allow_blank=True)
    aboutMe = serializers.CharField(required=False, allow_blank=True)  # noqa: N815
