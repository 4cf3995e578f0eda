"""The provider's notification callback, and the development provider's payment page."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from payments import selectors, services
from tinybook.exceptions import ApplicationError
from tinybook.middleware import body_not_logged
from tinybook.pages import domain_errors

Outcome = services.Outcome
# WeChat Pay's protocol: 200/204 with no body is "received"; 4xx/5xx with {"code":"FAIL"} makes it
# deliver again later (about 15 times over 24 hours).
_STATUS = {
    Outcome.ACCEPTED: 204, Outcome.DUPLICATE: 204, Outcome.IGNORED: 204,
    Outcome.REFUSED: 401, Outcome.UNKNOWN_ORDER: 404, Outcome.UNAVAILABLE: 503,
}


@csrf_exempt
@require_POST
@body_not_logged
def pay_callback(request):
    """POST /pay/callback: verified and decrypted through the provider; idempotent."""
    outcome = services.payment_notification_handle(headers=request.headers, body=request.body)
    status = _STATUS[outcome]
    if status == 204:
        return HttpResponse(status=204)
    return JsonResponse({"code": "FAIL", "message": outcome.value}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@domain_errors
def dev_pay_page(request, out_trade_no: str):
    """The ``dev`` provider's stand-in for WeChat Pay: what the QR code opens (404 with any other provider)."""
    payment = selectors.payment_for_dev_page(out_trade_no=out_trade_no)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("pay", "fail"):
            raise ApplicationError(_("choose Pay or Fail"))
        services.payment_dev_complete(out_trade_no=payment.out_trade_no, paid=action == "pay")
        if action == "pay":
            messages.success(request, _("Paid. You can close this page."))
        else:
            messages.error(request, _("The payment failed."))
        return redirect(request.path)
    return render(request, "payments/dev_pay.html", {"payment": payment})
