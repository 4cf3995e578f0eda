from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from sms.selectors import outbox_list


def outbox_page(request):
    """The dev outbox, newest first; exists only with DEBUG on (it shows login codes)."""
    if not settings.DEBUG:
        raise Http404
    messages = list(reversed(outbox_list()))
    return render(request, "sms/outbox.html", {"outbox": messages})
