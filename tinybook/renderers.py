"""The plain-text answer of webook's sign-up and login.

webook answers ``/users/signup`` and ``/users/login`` with the human message as a plain-text
body (``ctx.String(http.StatusOK, "注册成功")``), and webook-fe shows it with
``alert(res.data)``: an envelope would read "[object Object]". A client that asks for JSON
alone (``Accept: application/json``) gets the envelope (``tinybook.negotiation``).
"""

from rest_framework.renderers import BaseRenderer


class MessageTextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "msg" in data:
            return str(data["msg"]).encode(self.charset)
        return b""  # a bare answer (a 401 has no body)
