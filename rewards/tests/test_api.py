"""The reward button's API, exactly as the webook client speaks it, and what it refuses."""

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from articles import services as articles
from conftest import login_client
from rewards import checks
from rewards.models import Reward
from rewards.tests.helpers import balances, detail, dev_pay, ledger_holds, nothing_stored, order_of, reward
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_relay")]
# The relay runs when the payment commits: the tests that pay need real commits.
paying = pytest.mark.django_db(transaction=True)


@paying
def test_reward_answers_codeurl_and_rid_and_detail_follows_the_payment(dev, reader_api, article, author):
    r = reward(reader_api, article, 500)
    assert r["code"] == 0 and set(r["data"]) == {"codeURL", "rid"}
    rid = r["data"]["rid"]
    order = order_of(rid)
    assert r["data"]["codeURL"] == f"http://testserver/pay/dev/{order.out_trade_no}"
    assert (order.amount, order.status, order.provider) == (500, "unpaid", "dev")
    assert "Tea at dawn" in order.description
    assert detail(reader_api, rid) == {"code": 0, "msg": "ok", "data": "RewardStatusInit"}

    dev_pay(rid)
    assert detail(reader_api, rid)["data"] == "RewardStatusPayed"
    me = login_client(author).get("/accounts/me").json()
    assert me["code"] == 0 and me["data"] == {"balance": 450, "credited": 450, "rewardCnt": 1}
    assert balances()["platform"] == 50 and ledger_holds()


@paying
def test_a_failed_payment_fails_the_reward_and_credits_nothing(dev, reader_api, article, author):
    rid = reward(reader_api, article, 300)["data"]["rid"]
    dev_pay(rid, "fail")
    assert detail(reader_api, rid)["data"] == "RewardStatusFailed"
    assert login_client(author).get("/accounts/me").json()["data"] == {"balance": 0, "credited": 0, "rewardCnt": 0}


@pytest.mark.parametrize("body", [
    {"id": None, "amt": 100}, {"amt": 100}, {"id": "1", "amt": 100}, {"id": 0, "amt": 100}, {"id": 2**53, "amt": 100},
    {"id": "ARTICLE"}, {"id": "ARTICLE", "amt": 0}, {"id": "ARTICLE", "amt": -1},
    {"id": "ARTICLE", "amt": 1_000_001}, {"id": "ARTICLE", "amt": "12"}, {"id": "ARTICLE", "amt": 12.0},
    {"id": "ARTICLE", "amt": 12.5}, {"id": "ARTICLE", "amt": True}, {"id": "ARTICLE", "amt": None},
    {"id": "ARTICLE", "amt": 10**30}, {"id": "ARTICLE", "amt": "9" * 5000}, {"id": "ARTICLE", "amt": [100]},
    {"id": "ARTICLE", "amt": {"total": 100}}, {"id": "ARTICLE", "amt": "١٢"}, {"id": "ARTICLE", "amt": "12\u0000"},
])
def test_bad_input_is_code_4_and_stores_nothing(dev, reader_api, article, body):
    body = {k: (article if v == "ARTICLE" else v) for k, v in body.items()}
    resp = reader_api.post("/articles/pub/reward", body, format="json")
    assert resp.status_code == 200
    assert resp.json()["code"] == 4 and resp.json()["msg"]
    assert nothing_stored()


def test_malformed_and_huge_bodies_are_code_4(dev, reader_api, article, settings):
    for raw in (b"{", b"[1]", b'"x"', b"{\"id\": 1e999, \"amt\": 1}"):
        resp = reader_api.post("/articles/pub/reward", raw, content_type="application/json")
        assert resp.json()["code"] == 4
    huge = b'{"id": %d, "amt": 1, "x": "%s"}' % (article, b"a" * (settings.API_MAX_BODY_BYTES + 10))
    assert reader_api.post("/articles/pub/reward", huge, content_type="application/json").json()["code"] == 4
    assert nothing_stored()


def test_the_largest_amount_is_the_setting(dev, reader_api, article, settings):
    settings.REWARD_MAX_FEN = 1000
    assert reward(reader_api, article, 1001)["code"] == 4
    assert reward(reader_api, article, 1000)["code"] == 0


def test_ones_own_article_cannot_be_rewarded(dev, author, article):
    r = reward(login_client(author), article)
    assert r == {"code": 4, "msg": "you cannot reward your own article", "data": None}
    assert nothing_stored()


@pytest.mark.parametrize("state", ["draft", "withdrawn", "missing", "edited-then-withdrawn"])
def test_only_live_articles_can_be_rewarded(dev, reader_api, author, state):
    if state == "draft":
        aid = articles.article_save(author_id=author.id, title="t", content="c")
    else:
        aid = articles.article_publish(author_id=author.id, title="t", content="c")
        if state == "missing":
            aid += 1000
        elif state.endswith("withdrawn"):
            articles.article_withdraw(author_id=author.id, article_id=aid)
    assert reward(reader_api, aid)["code"] == 4
    assert nothing_stored()


def test_someone_elses_or_an_unknown_reward_is_code_4(dev, reader_api, article):
    rid = reward(reader_api, article)["data"]["rid"]
    stranger = login_client(UserFactory.create())
    assert detail(stranger, rid) == {"code": 4, "msg": "not found", "data": None}
    assert detail(reader_api, rid + 100)["code"] == 4
    for bad in ({"rid": "1"}, {"rid": 0}, {}, {"rid": 1.5}, {"rid": 10**20}):
        assert reader_api.post("/reward/detail", bad, format="json").json()["code"] == 4


def test_every_route_needs_a_login(dev, api, article):
    assert api.post("/articles/pub/reward", {"id": article, "amt": 100}, format="json").status_code == 401
    assert api.post("/reward/detail", {"rid": 1}, format="json").status_code == 401
    assert api.get("/accounts/me").status_code == 401
    assert api.get("/rewards/received").status_code == 401
    assert api.post("/articles/pub/reward", {"id": article, "amt": 100}, format="json",
                    HTTP_AUTHORIZATION="Bearer null").status_code == 401
    assert nothing_stored()


@paying
def test_rewards_received_newest_first_with_payer_names_never_contact_details(dev, author, article):
    nameless = UserFactory.create(nickname="", email="secret.person@example.test", phone="+8613800000042")
    named = UserFactory.create(nickname="Mia")
    first = reward(login_client(nameless), article, 100)["data"]["rid"]
    second = reward(login_client(named), article, 2000)["data"]["rid"]
    dev_pay(second)
    other_article = articles.article_publish(author_id=named.id, title="Not mine", content="x")
    reward(login_client(nameless), other_article, 7)  # to someone else: not listed

    client = login_client(author)
    items = client.get("/rewards/received?offset=0&limit=10").json()["data"]
    assert [i["rid"] for i in items] == [second, first]
    assert items[0] == {
        "rid": second, "bizId": article, "title": "Tea at dawn", "amt": 2000,
        "payer": {"id": named.id, "name": "Mia"}, "status": "RewardStatusPayed", "ctime": items[0]["ctime"],
    }
    assert items[1]["payer"] == {"id": nameless.id, "name": f"user {nameless.id}"}
    assert items[1]["status"] == "RewardStatusInit"
    zh = client.get("/rewards/received", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["data"]
    assert zh[1]["payer"]["name"] == f"用户{nameless.id}"
    text = str(items) + str(zh)
    assert "secret" not in text and "13800000042" not in text
    assert client.get("/rewards/received?offset=1&limit=1").json()["data"][0]["rid"] == first
    for bad in ("limit=0", "limit=abc", "offset=-1", "limit=101", "offset=99999999"):
        assert client.get(f"/rewards/received?{bad}").json()["code"] == 4
    assert client.get("/accounts/me").json()["data"] == {"balance": 1800, "credited": 1800, "rewardCnt": 1}


def test_the_title_is_kept_as_it_was_when_rewarded(dev, reader_api, author, article):
    rid = reward(reader_api, article)["data"]["rid"]
    articles.article_publish(author_id=author.id, article_id=article, title="Renamed", content="x")
    assert Reward.objects.get(id=rid).title == "Tea at dawn"


def test_payments_not_configured_is_code_4_and_stores_nothing(settings, reader_api, article):
    settings.PAYMENT_PROVIDER = "wechat"
    settings.WECHATPAY_MCHID = ""
    r = reward(reader_api, article)
    assert r["code"] == 4 and r["msg"] == "payments are not available on this site"
    assert nothing_stored()


@paying
def test_wechat_unavailable_at_creation_is_code_5_and_the_reward_fails(wechat, reader_api, article):
    wechat.fail_next(500)
    r = reward(reader_api, article)
    assert r["code"] == 5
    [stored] = Reward.objects.all()
    assert stored.status == Reward.Status.FAILED
    assert order_of(stored.id).status == "failed"


def test_a_refusal_names_the_field_in_the_readers_language(dev, reader_api, article):
    en = reader_api.post("/articles/pub/reward", {"id": article, "amt": 0}, format="json").json()
    assert en["msg"] == "amt: must be between 1 and 1000000 fen"
    zh = reader_api.post("/articles/pub/reward", {"id": article, "amt": "1"}, format="json",
                         HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert zh["code"] == 4 and zh["msg"].startswith("金额：")
    zh = reader_api.post("/reward/detail", {"rid": 0}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert zh["msg"].startswith("打赏编号：")
    assert nothing_stored()


@pytest.mark.parametrize("name, value, error", [
    ("REWARD_PLATFORM_SHARE", Decimal("1.5"), "rewards.E001"), ("REWARD_PLATFORM_SHARE", Decimal("-0.1"), "rewards.E001"),
    ("REWARD_MAX_FEN", 0, "rewards.E002"),
])
def test_reward_settings_that_cannot_work_are_refused_at_start(settings, name, value, error):
    assert checks.rewards_settings_check(None) == []
    setattr(settings, name, value)
    assert [e.id for e in checks.rewards_settings_check(None)] == [error]


def test_a_platform_share_that_is_not_a_number_stops_the_process():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")} | {"REWARD_PLATFORM_SHARE": "ten"}
    proc = subprocess.run([sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "REWARD_PLATFORM_SHARE must be a decimal fraction" in proc.stderr
