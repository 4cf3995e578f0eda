"""seed_demo: a few paid rewards, their payments and credits, consistent with the ledger."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Credit
from payments.models import Payment, PaymentEvent
from rewards.models import Reward
from rewards.tests.helpers import ledger_holds
from users.demo import DEMO_EMAIL
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_gives_paid_rewards_that_reconcile():
    out = StringIO()
    call_command("seed_demo", "--users", "6", "--articles", "30", "--draft-ratio", "0", "--rewards", "8",
                 "--seed", "5", "-v", "0", stdout=out)
    assert "8 rewards" in out.getvalue()
    rewards = list(Reward.objects.all())
    assert len(rewards) == 8 and all(r.status == Reward.Status.PAYED for r in rewards)
    assert all(r.payer_id != r.author_id for r in rewards)
    demo = User.objects.get(email=DEMO_EMAIL)
    assert any(r.author_id == demo.id for r in rewards)  # the printed login has earnings to see
    assert Payment.objects.filter(status="paid").count() == 8
    assert PaymentEvent.objects.filter(status="delivered").count() == 8
    assert Credit.objects.count() == 8 and ledger_holds()
    report = StringIO()
    call_command("reconcile_rewards", stdout=report)
    assert "disagreements: 0" in report.getvalue()


def test_seed_demo_without_rewards_adds_none():
    call_command("seed_demo", "--users", "2", "--articles", "2", "--rewards", "0", "-v", "0", stdout=StringIO())
    assert not Reward.objects.exists() and not Credit.objects.exists()
