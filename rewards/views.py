"""The reward dialog's QR code, drawn on the server (segno, SVG): no script library, no CDN."""

import segno
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from rewards import selectors
from tinybook.pages import domain_errors


@require_safe
@never_cache
@domain_errors
def reward_qr(request, reward_id: int):
    """The QR code of my unpaid reward's payment (``codeURL``) as SVG; 404 for anyone else's."""
    if not request.user.is_authenticated:
        raise Http404
    code_url = selectors.reward_code_url(payer_id=request.user.id, reward_id=reward_id)
    svg = segno.make(code_url, error="m").svg_inline(scale=6, border=2, title="QR")
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return HttpResponse(body, content_type="image/svg+xml")
