"""Who may call an API view: the base views every app's API builds on.

- ``AnonymousAPIView``: no credentials read at all (sign-up, login, public lists).
- ``ReaderAPIView``: a usable token identifies the reader; anything else is anonymous, because
  webook clients send ``Authorization: Bearer null`` when logged out.
- ``TokenAPIView``: a valid access token is required (bare 401 otherwise).
- ``MemberAPIView``: a token (API clients) or the browser session (the pages' buttons, with
  CSRF) is required.

Each answers 405 for a method it does not have before looking at credentials (``MethodFirst``).
"""

from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from tinybook.api import MethodFirst
from users.authentication import JWTAuthentication, OptionalJWTAuthentication


class AnonymousAPIView(MethodFirst, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class ReaderAPIView(MethodFirst, APIView):
    authentication_classes = [OptionalJWTAuthentication]
    permission_classes = [AllowAny]


class TokenAPIView(MethodFirst, APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]


class MemberAPIView(MethodFirst, APIView):
    authentication_classes = [JWTAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
