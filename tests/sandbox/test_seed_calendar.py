"""The demo data is right on any day: the seed runs under a frozen clock on the days where date
arithmetic breaks (the 1st, the 28th to the 31st, 29 February) and every invariant is checked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import models

DAYS = [
    datetime(2027, 1, 1, 0, 30, tzinfo=UTC),  # the 1st, before the invoices are issued
    datetime(2027, 1, 1, 14, 0, tzinfo=UTC),  # the 1st, after
    datetime(2026, 12, 3, 8, 0, tzinfo=UTC),  # three days into the month
    datetime(2026, 12, 6, 16, 1, tzinfo=UTC),  # a minute before a 5-day unpaid invoice suspends
    datetime(2026, 12, 15, 12, 0, tzinfo=UTC),
    datetime(2027, 2, 28, 23, 0, tzinfo=UTC),
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    datetime(2028, 3, 1, 0, 5, tzinfo=UTC),
    datetime(2026, 3, 29, 10, 0, tzinfo=UTC),  # a month later than February's last day
    datetime(2026, 3, 30, 10, 0, tzinfo=UTC),
    datetime(2026, 3, 31, 23, 59, tzinfo=UTC),
    datetime(2026, 5, 31, 12, 0, tzinfo=UTC),
    datetime(2026, 4, 30, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
]


def _month(value: datetime | date) -> date:
    return date(value.year, value.month, 1)


def _seed_at(now: datetime) -> None:
    from sandbox.seed import seed_demo

    with time_machine.travel(now, tick=False):
        seed_demo()


def _user(key: str):
    from sandbox.demo import demo_account
    from sandbox.models import User
    from sandbox.seed import user_id_for

    return User.objects.get(id=user_id_for(demo_account(key)))


@pytest.mark.django_db
@pytest.mark.parametrize("now", DAYS, ids=[d.strftime("%Y-%m-%dT%H:%M") for d in DAYS])
def test_no_seeded_date_is_in_the_future(now):
    from sandbox import models as sandbox_models

    _seed_at(now)
    checked = 0
    for model in (
        sandbox_models.User,
        sandbox_models.ApiToken,
        sandbox_models.SshKey,
        sandbox_models.App,
        sandbox_models.RuntimeRecord,
        sandbox_models.AddonRecord,
        sandbox_models.Invoice,
        sandbox_models.BillingOperation,
        sandbox_models.Event,
    ):
        for field in model._meta.get_fields():
            if isinstance(field, models.DateTimeField) and field.name != "free_trial_end_time":
                late = model.objects.filter(**{f"{field.name}__gt": now})
                assert not late.exists(), f"{model.__name__}.{field.name} after {now}: {list(late[:3])}"
                checked += 1
    assert checked >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("now", DAYS, ids=[d.strftime("%Y-%m-%dT%H:%M") for d in DAYS])
def test_invoices_follow_the_billing_calendar(now):
    from sandbox.models import Invoice

    _seed_at(now)
    running = _month(now)
    for invoice in Invoice.objects.all():
        assert invoice.billing_month.day == 1
        assert invoice.billing_month <= running
        assert invoice.invoice_number.startswith(f"{invoice.created_at:%Y-%m}-")
        assert sum(item["price"] for item in invoice.items) == invoice.total_price
        if invoice.billing_month == running:
            assert invoice.state == "new"  # the running month's invoice is in progress
        else:
            # A complete month's invoice is issued after the month ended.
            assert _month(invoice.created_at) > invoice.billing_month
    # The team admin: 40 complete months, and the running month's invoice, still new.
    teamadmin = Invoice.objects.filter(user=_user("teamadmin")).order_by("-billing_month")
    assert teamadmin.count() == 41
    assert teamadmin[0].billing_month == running and teamadmin[0].state == "new"
    assert teamadmin[1].billing_month == (running - timedelta(days=1)).replace(day=1)
    # Other accounts have no running-month invoice.
    assert not Invoice.objects.filter(billing_month=running).exclude(user=_user("teamadmin")).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("now", DAYS, ids=[d.strftime("%Y-%m-%dT%H:%M") for d in DAYS])
def test_the_suspension_follows_an_invoice_unpaid_for_5_days(now):
    from sandbox.models import Invoice, RuntimeRecord

    _seed_at(now)
    user = _user("suspended")
    assert user.suspended_at is not None and user.suspended_at <= now
    failed = list(Invoice.objects.filter(user=user, state="failed").order_by("billing_month"))
    assert failed, "a suspended account has an unpaid invoice"
    assert failed[0].created_at + timedelta(days=5) <= user.suspended_at
    # Nothing is paid after the first failure, and nothing runs after the suspension.
    assert not Invoice.objects.filter(user=user, state="paid", billing_month__gt=failed[0].billing_month).exists()
    assert not RuntimeRecord.objects.filter(app__owner=user, ended_at__isnull=True).exists()
    # Only the ordinary invoices of the other accounts fail: none.
    assert not Invoice.objects.filter(state="failed").exclude(user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("now", DAYS, ids=[d.strftime("%Y-%m-%dT%H:%M") for d in DAYS])
def test_card_expiry_is_relative_to_the_running_month(now):
    from sandbox.models import BillingProfile

    _seed_at(now)
    expiries = {
        profile.user.username: profile.stripe["default_card_exp"]
        for profile in BillingProfile.objects.select_related("user")
        if profile.stripe and profile.stripe.get("default_card_exp")
    }
    assert expiries["demo-teamadmin"] == f"{now.month:02d}/{now.year}"  # expires this month
    for username in ("demo-ordinary", "demo-twofa"):
        month, year = (int(part) for part in expiries[username].split("/"))
        assert (year, month) > (now.year, now.month), f"{username}'s card has expired: {expiries[username]}"
