"""Builds the demo accounts of ``sandbox.demo`` with bulk inserts (it runs before many tests).

Idempotent: an account whose user already exists is left as it is. Dates are relative to now:
invoices cover past months, usage records run up to now. Invoices are computed from the same
runtime and addon records as ``/account/usage``, so the two always agree.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import models, transaction
from django.utils import timezone

from sandbox import auth, seed_activity, sshkeys
from sandbox.activity import payment_method_data
from sandbox.catalog_data import plan_by_name
from sandbox.demo import DEMO_ACCOUNTS, TWOFA_RECOVERY_CODES, DemoAccount
from sandbox.ids import stable_object_id, stable_uuid
from sandbox.models import (
    AddonRecord,
    ApiToken,
    App,
    BillingOperation,
    BillingProfile,
    ContainerSize,
    Event,
    Invoice,
    RuntimeRecord,
    SshKey,
    User,
)
from sandbox.usage import cents, invoice_lines, size_table

RSA_DEMO_KEY = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDWJsAKdk5TBSA5053TQyx48itkmV+moAjxzsnpB1pqBSM1Y9njWq9Ji8t"
    "N1VDhiiOTyMiQk92e1VupMpGVffyBelRIyd8vh5XA1hG8DzRu4ZOe/OqwWujUug6yT2zasBjyPMZpXqs2ZxVTF/X5cLjwY"
    "RTdS3q8EeieLxoGqGqoMS/VWxMqIuDwPzZcWN9PKy1UxqoFuCWDM9bszAP8Q1k0lVXJejDxZ9MW0K39NBnv/O0ANqcsBTN"
    "n6KRc6VFY5punVZvg2u7SOgYkfxXUeBJnX/7fsEI+7fu2VgpLkCdApF96RA/p9ljPlkMwonNnL1DJBjrTq0zWsqIrR/tOI"
    "cqn demo@laptop"
)
ECDSA_DEMO_KEY = (
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGaBee7GWCQXkZN7K/2wc9"
    "b1Uzm13/iR6TRWO3PVnV6pl0a15vRSDiVKZ+G8ILu8cAJsVjCfkmKck6YepJ+K6Zw= ops@acme"
)


def month_start(value: datetime) -> datetime:
    return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(value: datetime, count: int) -> datetime:
    """The same day ``count`` months later, clamped to the month's last day (31 March - 1 = 28 or
    29 February), so the seed works on any day."""
    index = value.year * 12 + value.month - 1 + count
    year, month = index // 12, index % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


# When the platform issues (and charges) a month's invoice: early on the 1st of the next month.
INVOICE_ISSUE_DELAY = timedelta(hours=13, minutes=2)
# An invoice unpaid this long suspends the account (the "Manage your Account" seed: 5 days).
UNPAID_BEFORE_SUSPENSION = timedelta(days=5, hours=3)


def invoice_issued_at(month: datetime) -> datetime:
    return add_months(month_start(month), 1) + INVOICE_ISSUE_DELAY


def ed25519_key(seed: str, comment: str) -> str:
    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed.encode()).digest())
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return f"{public.decode()} {comment}"


def user_id_for(account: DemoAccount) -> str:
    return f"us-{stable_uuid('user', account.key)}"


@dataclass
class _Batch:
    """Rows to insert, in dependency order."""

    users: list[User] = field(default_factory=list)
    sizes: list[ContainerSize] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    tokens: list[ApiToken] = field(default_factory=list)
    keys: list[SshKey] = field(default_factory=list)
    runtimes: list[RuntimeRecord] = field(default_factory=list)
    addons: list[AddonRecord] = field(default_factory=list)
    profiles: list[BillingProfile] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    operations: list[BillingOperation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    collaborations: list[tuple[str, str]] = field(default_factory=list)

    def save(self) -> None:
        tables: tuple[Sequence[models.Model], ...] = (
            self.users,
            self.sizes,
            self.apps,
            self.tokens,
            self.keys,
            self.runtimes,
            self.addons,
            self.profiles,
            self.invoices,
            self.operations,
            self.events,
        )
        for rows in tables:
            if rows:
                type(rows[0])._default_manager.bulk_create(rows)  # each model's `objects`
        through = App.collaborators.through
        existing_apps = set(App.objects.filter(id__in={a for a, _ in self.collaborations}).values_list("id", flat=True))
        through.objects.bulk_create(
            [
                through(app_id=app_id, user_id=user_id)
                for app_id, user_id in self.collaborations
                if app_id in existing_apps
            ],
            ignore_conflicts=True,
        )


class _AccountBuilder:
    """Adds one account's rows to the batch; methods read like the account's story."""

    def __init__(self, batch: _Batch, account: DemoAccount, now: datetime, age_months: int) -> None:
        self.batch = batch
        self.account = account
        self.now = now
        # The 3rd of the month ``age_months`` ago: its invoices cover exactly ``age_months``
        # complete months; never in the future, even early on the 1st or the 2nd.
        opened = month_start(add_months(now, -age_months)) + timedelta(days=2, hours=9)
        self.created = min(opened, now - timedelta(hours=2))
        self.apps: list[App] = []
        self.runtimes: list[RuntimeRecord] = []
        self.addons: list[AddonRecord] = []
        self.custom_sizes: list[ContainerSize] = []
        self.user = User(
            id=user_id_for(account),
            object_id=stable_object_id("user", account.key),
            email=account.email,
            username=account.username,
            password=auth.password_hash(account.password) if account.password else "",
            fullname=f"Demo {account.key.capitalize()}",
            role="developer",
            created_at=self.created,
            free_trial_started_at=self.created,
            free_trial_end_time=self.created + timedelta(days=30),
            referral_code=hashlib.sha256(account.key.encode()).hexdigest()[:16],
            limits={"free_trial_apps": "10"},
        )
        batch.users.append(self.user)
        self._token("Demo token (sandbox)", account.api_token, self.created)
        self._event("new_user", self.created)

    def _token(self, name: str, secret: str, created: datetime, used: bool = True) -> None:
        self.batch.tokens.append(
            ApiToken(
                id=stable_uuid("token", self.account.key, name),
                user=self.user,
                name=name,
                secret_hash=auth.hash_secret(secret),
                created_at=created,
                issued_at=created,
                last_used_at=min(created + timedelta(days=3), self.now) if used else None,
            )
        )

    def token(self, name: str, days_ago: int) -> None:
        self._token(
            name,
            f"tk-us-{stable_uuid('secret', self.account.key, name)}",
            self.now - timedelta(days=days_ago),
            used=days_ago % 2 == 0,
        )

    def key(self, name: str, content: str, days_ago: int) -> None:
        parsed = sshkeys.parse(content)
        self.batch.keys.append(
            SshKey(
                id=stable_object_id("key", self.account.key, name),
                user=self.user,
                name=name,
                content=parsed.content,
                blob_sha256=parsed.blob_sha256,
                fingerprint=parsed.fingerprint,
                created_at=self.now - timedelta(days=days_ago),
            )
        )
        self._event("new_key", self.now - timedelta(days=days_ago), name=name, fingerprint=parsed.fingerprint)

    def _event(self, type_: str, at: datetime, *, app: App | None = None, **data: Any) -> None:
        self.batch.events.append(
            Event(
                id=stable_uuid("event", self.account.key, type_, at.isoformat()),
                user=self.user,
                type=type_,
                type_data=data,
                created_at=at,
                app_id=app.id if app else "",
                app_name=app.name if app else "",
            )
        )

    def custom_size(self, name: str, hourly_cents: int, memory_gib: int) -> None:
        size = ContainerSize(
            id=stable_uuid("size", self.account.key, name),
            user=self.user,
            name=name,
            human_name=f"{name} (dedicated)",
            ordinal=7,
            hourly_price=hourly_cents,
            memory=memory_gib * 1024**3,
            human_cpu="dedicated CPU",
            pids_limit=8192,
            sku=f"osc-fr1-app-{name}-{self.account.key}",
        )
        self.custom_sizes.append(size)
        self.batch.sizes.append(size)

    def app(self, name: str, region: str, months_ago: int, status: str = "running") -> App:
        created = max(self.created, month_start(add_months(self.now, -months_ago))) + timedelta(hours=10)
        app = App(
            id=stable_object_id("app", name),
            name=name,
            region=region,
            owner=self.user,
            status=status,
            created_at=created,
            updated_at=self.now - timedelta(days=1),
            project_id=f"pr-{stable_uuid('project', self.account.key)}",
        )
        self.apps.append(app)
        self.batch.apps.append(app)
        return app

    def runtime(
        self,
        app: App,
        size: str,
        *,
        containers: int = 1,
        kind: str = "web",
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        """One record per month, as the platform meters: the last one is still running."""
        start = since or app.created_at
        while start < (until or self.now):
            next_month = add_months(month_start(start), 1)
            end = min(next_month, until) if until else next_month
            record = RuntimeRecord(
                app=app,
                size_name=size,
                container_type=kind,
                containers=containers,
                started_at=start,
                ended_at=None if (until is None and end > self.now) else end,
            )
            self.runtimes.append(record)
            start = next_month

    def addon(self, app: App, provider: str, plan: str, since: datetime, until: datetime | None = None) -> None:
        self.addons.append(
            AddonRecord(
                app=app,
                addon_id=f"ad-{stable_uuid('addon', app.name, plan)}",
                provider_id=provider,
                plan_id=plan_by_name(f"{provider}-{plan}").id,
                resource_id=f"{app.name.replace('-', '_')}_{len(self.addons) + 1:04d}",
                provisioned_at=since,
                deprovisioned_at=until,
            )
        )

    def profile(self, *, payment_method: str, stripe: dict[str, Any] | None = None, **fields: Any) -> None:
        values: dict[str, Any] = {
            "name": self.user.fullname,
            "email": self.user.email,
            "address_line1": "15 avenue du Rhin",
            "address_city": "Strasbourg",
            "address_zip": "67100",
            "address_country": "France",
        }
        values.update(fields)
        profile = BillingProfile(
            id=stable_object_id("profile", self.account.key),
            user=self.user,
            payment_method=payment_method,
            stripe=stripe,
            **values,
        )
        self.batch.profiles.append(profile)
        self._event("add_payment_method", self.created + timedelta(days=1), **payment_method_data(profile))

    def invoices(self, *, vat_rate: int = 200, failed_from: datetime | None = None, current: bool = False) -> None:
        """Monthly invoices from the first month to last month (and the running month's, in state
        ``new``, if asked). A complete month's invoice is ``new`` until it is issued (early on the
        1st), then ``paid``, or ``failed`` from the month ``failed_from`` on."""
        self.batch.runtimes.extend(self.runtimes)
        self.batch.addons.extend(self.addons)
        sizes = size_table("osc-fr1", self.custom_sizes)
        month = month_start(self.created)
        this_month = month_start(self.now)
        number = 1000 + int(hashlib.sha256(self.account.key.encode()).hexdigest()[:3], 16)
        while month < this_month or (current and month == this_month):
            next_month = add_months(month, 1)
            lines = invoice_lines(self.apps, self.runtimes, self.addons, sizes, month, min(next_month, self.now))
            if lines:
                number += 1
                issued = invoice_issued_at(month)
                if month == this_month or issued > self.now:
                    state = "new"
                elif failed_from is not None and month >= failed_from:
                    state = "failed"
                else:
                    state = "paid"
                self._invoice(month, lines, vat_rate, state, number)
            month = next_month

    def _invoice(self, month: datetime, lines: list[dict[str, Any]], vat_rate: int, state: str, number: int) -> None:
        runtime = sum(line["price"] for line in lines if line["label"].startswith("Containers"))
        addons = sum(line["price"] for line in lines) - runtime
        items = [{"label": "Containers Runtime", "price": runtime}, {"label": "Addons", "price": addons}]
        trial_end = self.user.free_trial_end_time
        if month <= trial_end and add_months(month, 1) > self.user.free_trial_started_at:
            start, end = self.user.free_trial_started_at, trial_end
            label = f"Free Trial {start:%Y-%m-%d %H:%M} -> {end:%Y-%m-%d %H:%M}"
            items.append({"label": label, "price": -(runtime + addons)})
        key = f"{self.account.key}:{month:%Y-%m}"
        for index, item in enumerate(items):
            item["id"] = stable_uuid("item", key, str(index))
        detailed = [{"id": stable_uuid("detail", key, str(i)), **line} for i, line in enumerate(lines)]
        total = sum(item["price"] for item in items)
        with_vat = total + cents(Decimal(total) * vat_rate / 1000)
        # The running month's invoice opens with the month; a complete month's is issued on the 1st.
        created = month if month == month_start(self.now) else min(invoice_issued_at(month), self.now)
        invoice = Invoice(
            id=stable_uuid("invoice", key),
            user=self.user,
            billing_month=month.date(),
            invoice_number=f"{created:%Y-%m}-{number}",
            state=state,
            vat_rate=vat_rate,
            total_price=total,
            total_price_with_vat=with_vat,
            items=items,
            detailed_items=detailed,
            created_at=created,
        )
        self.batch.invoices.append(invoice)
        self.batch.operations.append(
            BillingOperation(
                id=stable_uuid("operation", key),
                user=self.user,
                invoice=invoice,
                created_at=created,
                amount=(Decimal(with_vat) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                source="invoicing",
                description=f"Invoice for {month:%B %Y}",
            )
        )


def _teamadmin(b: _AccountBuilder) -> None:
    b.user.company = "Acme SAS"
    b.user.referral_clicks, b.user.referral_signups = 165, 23
    b.user.referral_earned = Decimal("312.40")
    b.custom_size("3XL", 320, 8)
    web = b.app("acme-web", "osc-fr1", 40)
    api = b.app("acme-api", "osc-fr1", 30)
    shop = b.app("acme-shop", "osc-fr1", 24)
    portal = b.app("acme-hds-portal", "osc-secnum-fr1", 18)
    worker = b.app("acme-hds-worker", "osc-secnum-fr1", 12, status="stopped")
    b.runtime(web, "L", containers=2)
    b.runtime(web, "M", kind="worker")
    b.runtime(api, "M")
    six_months = month_start(add_months(b.now, -6))
    b.runtime(shop, "XL", until=six_months)
    b.runtime(shop, "3XL", since=six_months)
    b.runtime(portal, "L")
    b.runtime(worker, "S", kind="worker", until=month_start(add_months(b.now, -1)))
    b.addon(web, "postgresql", "business-1024", web.created_at)
    b.addon(web, "redis", "starter-256", web.created_at)
    b.addon(shop, "mysql", "starter-512", shop.created_at)
    b.addon(portal, "postgresql", "starter-1024", portal.created_at)
    b.addon(api, "logtrail", "pro", add_months(b.now, -10), add_months(b.now, -3))
    b.key("ops laptop", ECDSA_DEMO_KEY, 400)
    b.token("Terraform", 200)
    card_exp = f"{b.now.month:02d}/{b.now.year}"  # the running month: "expires this month"
    b.profile(
        payment_method="stripe",
        company="Acme SAS",
        vat_number="FR40303265045",
        invoice_additional_info="PO 2026-ACME-17",
        stripe=_card("American Express", "0005", card_exp, b.user.fullname),
    )
    b.invoices(current=True)


def _ordinary(b: _AccountBuilder) -> None:
    b.user.referral_clicks, b.user.referral_signups = 12, 2
    b.user.referral_earned = Decimal("8.64")
    blog = b.app("ordinary-blog", "osc-fr1", 7)
    api = b.app("ordinary-api", "osc-fr1", 3)
    b.runtime(blog, "S")
    b.runtime(api, "M")
    b.addon(blog, "postgresql", "sandbox", blog.created_at)
    b.addon(api, "postgresql", "starter-512", api.created_at)
    b.key("laptop", RSA_DEMO_KEY, 200)
    b.key("workstation", ed25519_key("ordinary-workstation", "me@workstation"), 30)
    b.token("CI deploys", 90)
    b.token("Laptop CLI", 12)
    b.profile(payment_method="stripe", stripe=_card("Visa", "4242", _expiry(b.now, 20), b.user.fullname))
    b.invoices()
    b.batch.collaborations.append((stable_object_id("app", "acme-web"), b.user.id))


def _twofa(b: _AccountBuilder) -> None:
    b.user.tfa_enabled = True
    b.user.tfa_secret = b.account.totp_secret or ""
    b.user.tfa_recovery_hashes = [auth.hash_secret(code) for code in TWOFA_RECOVERY_CODES]
    site = b.app("twofa-site", "osc-fr1", 5)
    b.runtime(site, "S")
    b.key("laptop", ed25519_key("twofa-laptop", "twofa@laptop"), 60)
    b.profile(payment_method="stripe", stripe=_card("Mastercard", "4444", _expiry(b.now, 15), b.user.fullname))
    b.invoices()
    b._event("tfa_enabled", b.now - timedelta(days=50))


def _github(b: _AccountBuilder) -> None:
    b.user.github = {
        "username": "demo-octocat",
        "email": b.user.email,
        "avatar_url": "https://avatars.githubusercontent.com/u/583231",
        "profile_url": "https://github.com/demo-octocat",
    }
    proxy = b.app("gh-pages-proxy", "osc-fr1", 6)
    b.runtime(proxy, "S")
    b.addon(proxy, "redis", "sandbox", proxy.created_at)
    b.profile(
        payment_method="paypal",
        credit=Decimal("42.50"),
        paypal={"id": f"PAYID-{stable_object_id('paypal', 'github').upper()}"},
    )
    b.invoices()


def _suspended(b: _AccountBuilder) -> None:
    # The newest invoice already unpaid for 5 days failed and suspended the account; on the 1st to
    # the 6th that is the invoice of the month before last, so the suspension is never in the future.
    failed_month = add_months(month_start(b.now), -1)
    while invoice_issued_at(failed_month) + UNPAID_BEFORE_SUSPENSION > b.now:
        failed_month = add_months(failed_month, -1)
    b.user.suspended_at = invoice_issued_at(failed_month) + UNPAID_BEFORE_SUSPENSION
    b.user.suspension_reason = "Invoice unpaid for 5 days"
    shop = b.app("suspended-shop", "osc-fr1", 4, status="stopped")
    b.runtime(shop, "M", until=b.user.suspended_at)
    b.addon(shop, "mysql", "starter-512", shop.created_at, b.user.suspended_at)
    sepa = {
        "id": stable_object_id("stripe", "suspended"),
        "default_card_last4": None,
        "default_card_exp": None,
        "default_card_brand": None,
        "default_card_name": None,
        "sepa_bank_code": "30003",
        "sepa_country": "FR",
        "sepa_last4": "3000",
        "sepa_mandate_reference": "SANDBOX-SEPA-0001",
        "sepa_mandate_url": "https://payments.example.com/mandates/SANDBOX-SEPA-0001",
    }
    b.profile(payment_method="stripe", stripe=sepa)
    b.invoices(failed_from=failed_month)


def _expiry(now: datetime, months: int) -> str:
    """A card expiry ``months`` after the running month, as ``MM/YYYY``."""
    return f"{add_months(month_start(now), months):%m/%Y}"


def _card(brand: str, last4: str, exp: str, name: str) -> dict[str, Any]:
    return {
        "id": stable_object_id("card", brand, last4),
        "default_card_last4": last4,
        "default_card_exp": exp,
        "default_card_brand": brand,
        "default_card_name": name,
        "sepa_bank_code": None,
        "sepa_country": None,
        "sepa_last4": None,
        "sepa_mandate_reference": None,
        "sepa_mandate_url": None,
    }


def _nothing(b: _AccountBuilder) -> None:
    """The empty account and the collaborator own nothing billable."""


def _collaborator(b: _AccountBuilder) -> None:
    b.batch.collaborations.append((stable_object_id("app", "acme-web"), b.user.id))


# Each story and the age of its account in months (= its complete months of invoices).
_STORIES = {
    "teamadmin": (_teamadmin, 40),
    "ordinary": (_ordinary, 7),
    "twofa": (_twofa, 5),
    "github": (_github, 6),
    "suspended": (_suspended, 4),
    "empty": (_nothing, 0),
    "collaborator": (_collaborator, 2),
}


def seed_demo(now: datetime | None = None) -> list[str]:
    """Create the missing demo accounts; returns the keys created."""
    now = now or timezone.now()
    wanted = {user_id_for(account): account for account in DEMO_ACCOUNTS}
    existing = set(User.objects.filter(id__in=wanted).values_list("id", flat=True))
    batch = _Batch()
    created = []
    for key, (story, age_months) in _STORIES.items():
        account = next(a for a in DEMO_ACCOUNTS if a.key == key)
        if user_id_for(account) in existing:
            continue
        builder = _AccountBuilder(batch, account, now, age_months)
        story(builder)
        seed_activity.add_activity(builder)
        created.append(key)
    with transaction.atomic():
        batch.save()
    return created
