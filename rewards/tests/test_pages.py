"""The pages: the reward button and its QR code, the dev provider's page, Earnings on the
dashboard, and the read-only admin."""

import re

import pytest
import segno
from django.test import Client

from accounts.models import Account, Credit, Entry
from payments.models import Payment, PaymentEvent
from rewards.models import Reward
from rewards.tests.helpers import dev_pay, order_of, reward
from users.models import User
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_relay", "dev")]


def _browser(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_a_reader_gets_the_reward_button_and_dialog(reader, article):
    html = _browser(reader).get(f"/articles/{article}").content.decode()
    assert "data-reward-open" in html and "<dialog" in html and "rewards/reward.js" in html
    assert f'data-article-id="{article}"' in html
    assert 'value="500"' in html and "¥5.00" in html  # ready-made amounts, in fen, shown in yuan


def test_the_author_gets_no_button_and_a_visitor_a_login_link(author, article):
    html = _browser(author).get(f"/articles/{article}").content.decode()
    assert "data-reward-open" not in html and "<dialog" not in html
    assert "Earnings" in html
    html = _browser().get(f"/articles/{article}").content.decode()
    assert "data-reward-open" not in html
    assert re.search(rf'href="/account/login\?next=/articles/{article}"[^>]*>¥ Log in to reward the author', html)


def test_the_qr_code_is_an_svg_of_the_code_url_for_the_payer_only(reader, reader_api, article):
    rid = reward(reader_api, article)["data"]["rid"]
    resp = _browser(reader).get(f"/reward/qr/{rid}")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/svg+xml"
    svg = resp.content.decode()
    expected = segno.make(order_of(rid).code_url, error="m").svg_inline(scale=6, border=2, title="QR")
    assert svg.endswith(expected.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    assert "no-cache" in resp["Cache-Control"]
    assert _browser(UserFactory.create()).get(f"/reward/qr/{rid}").status_code == 404
    assert _browser().get(f"/reward/qr/{rid}").status_code == 404
    assert _browser(reader).get(f"/reward/qr/{rid + 99}").status_code == 404
    dev_pay(rid)
    assert _browser(reader).get(f"/reward/qr/{rid}").status_code == 404  # paid: nothing left to scan


def test_the_dev_page_pays_through_the_callback_path(reader_api, article):
    rid = reward(reader_api, article, 1234)["data"]["rid"]
    no = order_of(rid).out_trade_no
    page = Client().get(f"/pay/dev/{no}").content.decode()
    assert "¥12.34" in page and 'value="pay"' in page and 'value="fail"' in page
    resp = Client().post(f"/pay/dev/{no}", {"action": "pay"}, follow=True)
    assert "Paid. You can close this page." in resp.content.decode()
    assert 'value="pay"' not in resp.content.decode()
    assert Reward.objects.get(id=rid).status == Reward.Status.PAYED
    again = Client().post(f"/pay/dev/{no}", {"action": "fail"}, follow=True).content.decode()
    assert "this order is already settled" in again
    assert Reward.objects.get(id=rid).status == Reward.Status.PAYED
    assert PaymentEvent.objects.count() == 1


def test_the_dev_page_refuses_what_it_does_not_know(reader_api, article, settings):
    rid = reward(reader_api, article)["data"]["rid"]
    no = order_of(rid).out_trade_no
    resp = Client().post(f"/pay/dev/{no}", {"action": "steal"}, follow=True)
    assert resp.status_code == 200 and "choose Pay or Fail" in resp.content.decode()
    assert Payment.objects.get(out_trade_no=no).status == "unpaid"
    assert Client().get("/pay/dev/TB0000000000000000000000000000").status_code == 404
    assert Client().get("/pay/dev/x").status_code == 404  # not an order number
    settings.PAYMENT_PROVIDER = "wechat"
    assert Client().get(f"/pay/dev/{no}").status_code == 404  # only with the dev provider
    assert Client().post(f"/pay/dev/{no}", {"action": "pay"}).status_code == 404
    assert Payment.objects.get(out_trade_no=no).status == "unpaid"


def test_earnings_on_the_dashboard(author, article):
    nameless = UserFactory.create(nickname="", email="hidden.payer@example.test")
    named = UserFactory.create(nickname="Mia")
    from conftest import login_client

    paid = reward(login_client(named), article, 2000)["data"]["rid"]
    dev_pay(paid)
    waiting = reward(login_client(nameless), article, 7)["data"]["rid"]
    html = _browser(author).get("/dashboard/articles").content.decode()
    section = html[html.index("data-earnings"):]
    assert re.search(r'data-earning="balance">¥18.00<', section)
    assert re.search(r'data-earning="credited">¥18.00<', section)
    assert re.search(r'data-earning="count">1<', section)
    rows = re.findall(r'<tr data-reward-id="(\d+)">(.*?)</tr>', section, re.S)
    assert [int(r) for r, _ in rows] == [waiting, paid]  # newest first
    assert "Mia" in rows[1][1] and "Tea at dawn" in rows[1][1] and "¥20.00" in rows[1][1] and "paid" in rows[1][1]
    assert f"user {nameless.id}" in rows[0][1] and "waiting for payment" in rows[0][1]
    assert "hidden.payer" not in html
    zh = _browser(author).get("/dashboard/articles", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "收益" in zh and f"用户{nameless.id}" in zh


def test_a_new_author_sees_empty_earnings(reader):
    html = _browser(reader).get("/dashboard/articles").content.decode()
    assert "data-earnings" in html and "No rewards yet" in html


@pytest.fixture
def staff(db):
    return User.objects.create_superuser(email="admin@example.com", password="Admin-Passw0rd!")


def test_payments_rewards_and_the_ledger_are_read_only_in_the_admin(staff, reader_api, article):
    rid = reward(reader_api, article, 800)["data"]["rid"]
    dev_pay(rid)
    admin = _browser(staff)
    objects = {
        "payments/payment": Payment.objects.get(), "payments/paymentevent": PaymentEvent.objects.get(),
        "rewards/reward": Reward.objects.get(), "accounts/account": Account.objects.get(key="platform"),
        "accounts/credit": Credit.objects.get(), "accounts/entry": Entry.objects.first(),
    }
    for path, obj in objects.items():
        assert admin.get(f"/admin/{path}/").status_code == 200, path
        page = admin.get(f"/admin/{path}/{obj.pk}/change/")
        assert page.status_code == 200, path
        assert b'name="amount"' not in page.content and b'name="status"' not in page.content, path
        assert admin.get(f"/admin/{path}/add/").status_code == 403, path
        assert admin.post(f"/admin/{path}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403, path
    assert order_of(rid).code_url.encode() not in admin.get(f"/admin/payments/payment/{order_of(rid).pk}/change/").content
    assert Reward.objects.get(id=rid).status == Reward.Status.PAYED
