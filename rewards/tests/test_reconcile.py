"""manage.py reconcile_rewards: each planted disagreement is found; --fix repairs the safe ones."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account, Credit, Entry
from payments.models import Payment
from rewards.models import Reward
from rewards.tests.helpers import balances, dev_pay, ledger_holds, order_of
from rewards.tests.helpers import reward as post_reward

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_relay", "dev")]


def _run(*args) -> tuple[str, bool]:
    """(output, clean): clean when the command exits 0."""
    out = StringIO()
    try:
        call_command("reconcile_rewards", *args, stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


@pytest.fixture
def paid(reader_api, article):
    """Three paid rewards and one waiting: a consistent start."""
    rids = [post_reward(reader_api, article, amt)["data"]["rid"] for amt in (100, 3, 999_999, 50)]
    for rid in rids[:3]:
        dev_pay(rid)
    return rids


def test_a_consistent_ledger_has_nothing_to_report(paid):
    out, clean = _run()
    assert clean, out
    assert "rewards checked: 4; disagreements: 0" in out


def test_a_paid_payment_with_an_unpaid_reward_is_found_and_fixed(paid, author):
    Reward.objects.filter(id=paid[0]).update(status=Reward.Status.INIT)
    Entry.objects.filter(credit__biz_id=paid[0]).delete()
    Credit.objects.filter(biz_id=paid[0]).delete()
    out, clean = _run()
    assert not clean
    assert f"paid payment, reward not paid: reward {paid[0]}" in out
    assert Reward.objects.get(id=paid[0]).status == Reward.Status.INIT  # without --fix nothing changes

    out, clean = _run("--fix")
    assert f"reward {paid[0]} (payment {order_of(paid[0]).out_trade_no}) — fixed" in out
    assert Reward.objects.get(id=paid[0]).status == Reward.Status.PAYED
    assert Credit.objects.filter(biz_id=paid[0]).count() == 1
    assert _run()[1]


def test_a_paid_reward_without_entries_is_found_and_credited(paid, author):
    Entry.objects.filter(credit__biz_id=paid[1]).delete()
    Credit.objects.filter(biz_id=paid[1]).delete()
    out, clean = _run()
    assert not clean and f"paid reward without ledger entries: reward {paid[1]}" in out
    # (the balances no longer match their entries either: the entries were taken away)
    assert "account balance differs" in out
    out, clean = _run("--fix")
    assert clean, out
    assert Credit.objects.filter(biz_id=paid[1]).count() == 1
    assert balances()[f"user:{author.id}"] == 90 + 3 + 900_000
    assert ledger_holds() and _run()[1]


def test_amounts_that_differ_are_reported_and_left_for_a_person(paid):
    Payment.objects.filter(biz_id=paid[2]).update(amount=1)
    Credit.objects.filter(biz_id=paid[0]).update(amount=7)
    Reward.objects.filter(id=paid[3]).update(amount=51)  # the waiting one
    out, clean = _run("--fix")
    assert not clean
    assert f"amounts differ: reward {paid[2]} (reward 999999, payment 1)" in out
    assert f"amounts differ: reward {paid[0]} (reward 100, credit 7)" in out
    assert f"amounts differ: reward {paid[3]} (reward 51, payment 50)" in out
    assert "— fixed" not in out
    assert "disagreements: 3, fixed: 0, left: 3" in out


def test_a_paid_reward_whose_payment_is_not_paid_is_reported_not_fixed(paid):
    Payment.objects.filter(biz_id=paid[3]).update(status="paid")  # the money never came: we cannot know
    Reward.objects.filter(id=paid[0]).update(status=Reward.Status.PAYED)
    Payment.objects.filter(biz_id=paid[0]).update(status="unpaid")
    out, clean = _run("--fix")
    assert f"paid reward whose payment is not paid: reward {paid[0]}" in out
    assert f"credit for a reward whose payment is not paid: reward {paid[0]}" in out
    assert f"paid payment, reward not paid: reward {paid[3]}" in out  # this one is safe: fixed
    assert Reward.objects.get(id=paid[3]).status == Reward.Status.PAYED
    assert not clean


def test_a_balance_off_its_entries_is_recomputed_from_them(paid, author):
    Account.objects.filter(key="platform").update(balance=0)
    out, clean = _run()
    assert "account balance differs from the sum of its entries: account platform (balance 0, entries 100009)" in out
    out, clean = _run("--fix")
    assert clean and balances()["platform"] == 10 + 0 + 99_999


def test_orphans_and_wrong_payees_are_reported(paid, reader):
    someone_else = Account.objects.create(key=f"user:{reader.id}", kind="user", owner=reader)
    Entry.objects.filter(credit__biz_id=paid[2], account__kind="user").update(account=someone_else)
    Payment.objects.filter(biz_id=paid[1]).update(biz_id=10_000)
    out, clean = _run()
    assert f"credit to someone other than the author, or split wrongly: reward {paid[2]}" in out
    assert "payment or credit without a reward: paid payment for reward 10000" in out
    assert f"reward without a payment: reward {paid[1]}" in out
    assert not clean


def test_bad_batch_size_is_refused():
    with pytest.raises(CommandError):
        call_command("reconcile_rewards", "--batch-size", "0", stdout=StringIO())
