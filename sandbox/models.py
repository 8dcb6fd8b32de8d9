"""Sandbox state. Ids follow the platform's shapes (contract §0), so they are explicit char keys.

Money is stored as integer cents (invoices) or Decimal euros (credit, billing operations).
"""

from __future__ import annotations

from django.db import models

from sandbox import ids


class _Row(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class User(_Row):
    id = models.CharField(primary_key=True, max_length=40, default=ids.user_id)
    # Apps expose their owner with a 24-hex id (contract §8.9), not the `us-` id.
    object_id = models.CharField(max_length=24, unique=True, default=ids.object_id)
    email = models.CharField(max_length=254, unique=True)
    username = models.CharField(max_length=64, unique=True)
    password = models.CharField(max_length=200, blank=True)  # "" for GitHub-created accounts
    fullname = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=60, blank=True)
    tos_accepted = models.BooleanField(default=True)
    email_newsletter = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    free_trial_started_at = models.DateTimeField()
    free_trial_end_time = models.DateTimeField()
    suspended_at = models.DateTimeField(null=True, blank=True)
    # null, not "": the contract serves null for these (§2.1, §3.3).
    suspension_reason = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    referral_code = models.CharField(max_length=32)
    referral_clicks = models.IntegerField(default=0)
    referral_signups = models.IntegerField(default=0)
    referral_earned = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    flags = models.JSONField(default=dict)
    limits = models.JSONField(default=dict)
    github = models.JSONField(null=True, blank=True)
    preferences = models.JSONField(default=dict)
    confirmed = models.BooleanField(default=True)
    unconfirmed_email = models.CharField(max_length=254, null=True, blank=True)  # noqa: DJ001
    tfa_enabled = models.BooleanField(default=False)
    tfa_secret = models.CharField(max_length=64, blank=True)
    tfa_pending_secret = models.CharField(max_length=64, blank=True)
    tfa_recovery_hashes = models.JSONField(default=list)


class ApiToken(_Row):
    id = models.CharField(primary_key=True, max_length=40, default=ids.bare_uuid)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=200)
    secret_hash = models.CharField(max_length=64, unique=True)
    # Bumped on renew: bearers carry it, so bearers minted from the old secret stop working.
    generation = models.IntegerField(default=1)
    created_at = models.DateTimeField()
    issued_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)


class SshKey(_Row):
    id = models.CharField(primary_key=True, max_length=24, default=ids.object_id)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(max_length=200)
    content = models.TextField()
    blob_sha256 = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=60)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "blob_sha256"], name="sandbox_key_unique_blob")]


class App(_Row):
    id = models.CharField(primary_key=True, max_length=24, default=ids.object_id)
    name = models.CharField(max_length=64)
    region = models.CharField(max_length=32)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="owned_apps")
    collaborators = models.ManyToManyField(User, related_name="collaborated_apps", blank=True)
    status = models.CharField(max_length=20, default="running")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    project_id = models.CharField(max_length=48)
    project_name = models.CharField(max_length=100, default="default")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="sandbox_app_unique_name")]


class ContainerSize(_Row):
    """Account-only sizes; the standard ones are static catalog data."""

    id = models.CharField(primary_key=True, max_length=40, default=ids.bare_uuid)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="custom_sizes")
    name = models.CharField(max_length=40)
    human_name = models.CharField(max_length=60)
    ordinal = models.IntegerField()
    hourly_price = models.IntegerField()  # cents
    memory = models.BigIntegerField()
    swap = models.BigIntegerField(default=0)
    human_cpu = models.CharField(max_length=60)
    pids_limit = models.IntegerField()
    sku = models.CharField(max_length=60)


class RuntimeRecord(_Row):
    """One container type running at one size for a period; `ended_at` null = still running."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="runtimes")
    size_name = models.CharField(max_length=40)
    container_type = models.CharField(max_length=40, default="web")
    containers = models.IntegerField(default=1)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)


class AddonRecord(_Row):
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="addons")
    addon_id = models.CharField(max_length=48, default=ids.addon_id)
    provider_id = models.CharField(max_length=40)
    plan_id = models.CharField(max_length=24)
    resource_id = models.CharField(max_length=80)
    provisioned_at = models.DateTimeField()
    deprovisioned_at = models.DateTimeField(null=True, blank=True)


class BillingProfile(_Row):
    id = models.CharField(primary_key=True, max_length=24, default=ids.object_id)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="billing_profile")
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254, blank=True)
    company = models.CharField(max_length=200, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    address_city = models.CharField(max_length=100, blank=True)
    address_zip = models.CharField(max_length=20, blank=True)
    address_state = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    address_country = models.CharField(max_length=100)
    vat_number = models.CharField(max_length=30, blank=True)
    invoice_additional_info = models.TextField(blank=True)
    credit = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    payment_method = models.CharField(max_length=20, blank=True)  # "stripe", "paypal" or ""
    stripe = models.JSONField(null=True, blank=True)
    paypal = models.JSONField(null=True, blank=True)
    flags = models.JSONField(default=list)


class Invoice(_Row):
    id = models.CharField(primary_key=True, max_length=40, default=ids.bare_uuid)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invoices")
    billing_month = models.DateField()
    invoice_number = models.CharField(max_length=30)
    state = models.CharField(max_length=10, default="paid")
    vat_rate = models.IntegerField(default=200)  # per mille
    total_price = models.IntegerField()  # cents
    total_price_with_vat = models.IntegerField()
    items = models.JSONField(default=list)
    detailed_items = models.JSONField(default=list)
    created_at = models.DateTimeField()


class BillingOperation(_Row):
    id = models.CharField(primary_key=True, max_length=40, default=ids.bare_uuid)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="billing_operations")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=30, default="invoicing")
    description = models.CharField(max_length=200)


class Event(_Row):
    id = models.CharField(primary_key=True, max_length=40, default=ids.bare_uuid)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40)
    type_data = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    # App events name their app (kept after the app is deleted, as the platform's feed does).
    app_id = models.CharField(max_length=24, blank=True)
    app_name = models.CharField(max_length=64, blank=True)


class AccountDeletion(_Row):
    """The [js] deletion flow; `token` stands for the confirmation email's link."""

    id = models.CharField(primary_key=True, max_length=40, default=ids.bare_uuid)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="deletions")
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField()
