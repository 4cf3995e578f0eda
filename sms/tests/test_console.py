"""The console provider, the dev outbox, its command and its DEBUG-only page."""

import logging

import pytest
from django.core.management import call_command

from sms.models import OutboxMessage
from sms.services import sms_send
from tinybook.exceptions import ApplicationError

PHONE = "+8613800000000"
PHONE2 = "+8613800000001"

pytestmark = pytest.mark.django_db


def test_console_send_is_sent_and_lands_in_outbox(settings):
    settings.SMS_PROVIDERS = ["console"]
    result = sms_send(tpl_id="login_code", args=["123456"], numbers=[PHONE])
    assert result.status == "sent"
    assert result.provider == "console"
    msg = OutboxMessage.objects.get()
    assert msg.phone == PHONE
    assert "123456" in msg.text
    assert msg.tpl_id == "login_code"


def test_console_log_line_hides_code_and_number(caplog):
    with caplog.at_level(logging.INFO, logger="sms"):
        sms_send(tpl_id="login_code", args=["987654"], numbers=[PHONE])
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "console SMS sent" in text
    assert "987654" not in text
    assert PHONE not in text


def test_national_numbers_are_normalised_and_bad_ones_refused():
    sms_send(tpl_id="login_code", args=["111111"], numbers=["13800000000"])
    assert OutboxMessage.objects.get().phone == PHONE
    for bad in (["12"], [], "13800000000", [None]):
        with pytest.raises(ApplicationError):
            sms_send(tpl_id="login_code", args=["1"], numbers=bad)
    with pytest.raises(ApplicationError):
        sms_send(tpl_id="", args=["1"], numbers=[PHONE])
    with pytest.raises(ApplicationError):
        sms_send(tpl_id="login_code", args=[1], numbers=[PHONE])
    assert OutboxMessage.objects.count() == 1


def test_outbox_keeps_only_the_last_n(settings):
    settings.SMS_CONSOLE_OUTBOX_SIZE = 3
    for i in range(5):
        sms_send(tpl_id="login_code", args=[f"00000{i}"], numbers=[PHONE])
    texts = [m.text for m in OutboxMessage.objects.order_by("id")]
    assert len(texts) == 3
    assert "000002" in texts[0] and "000004" in texts[-1]


def test_sms_outbox_command_prints_phone_and_text_newest_last(capsys):
    sms_send(tpl_id="login_code", args=["222222"], numbers=[PHONE])
    sms_send(tpl_id="login_code", args=["333333"], numbers=[PHONE2])
    call_command("sms_outbox")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert PHONE in lines[0] and "222222" in lines[0]
    assert PHONE2 in lines[1] and "333333" in lines[1]


def test_outbox_page_shows_messages_with_debug_on(client, settings):
    settings.DEBUG = True
    sms_send(tpl_id="login_code", args=["444444"], numbers=[PHONE])
    resp = client.get("/sms/outbox")
    assert resp.status_code == 200
    assert b"444444" in resp.content and PHONE.encode() in resp.content


def test_outbox_page_is_404_with_debug_off(client, settings):
    settings.DEBUG = False
    sms_send(tpl_id="login_code", args=["555555"], numbers=[PHONE])
    resp = client.get("/sms/outbox")
    assert resp.status_code == 404
    assert b"555555" not in resp.content
