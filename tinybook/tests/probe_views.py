"""Small API views that exercise the shared plumbing from the outside.

They are mounted only by ``tinybook.tests.urls`` (tests pick that URLconf); each goes
through the real parser, exception handler and middleware.
"""

from rest_framework import serializers
from rest_framework.views import APIView

from tinybook.envelope import ok
from tinybook.exceptions import ApplicationError


class EchoView(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=20)
        count = serializers.IntegerField(min_value=0, max_value=1000)
        password = serializers.CharField(required=False)

    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "password"}
        return ok(data, "echoed")


class RefuseView(APIView):
    def post(self, request):
        raise ApplicationError("no, thank you")


class BoomView(APIView):
    def get(self, request):
        raise RuntimeError("secret internals: do not show")
