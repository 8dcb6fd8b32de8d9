"""``manage.py sandbox_seed``: create the sandbox's demo accounts (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sandbox.demo import DEMO_ACCOUNTS
from sandbox.seed import seed_demo


class Command(BaseCommand):
    help = "Create the sandbox demo accounts that are missing (existing ones are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_demo()
        if options["verbosity"] >= 1:
            for account in DEMO_ACCOUNTS:
                state = "created" if account.key in created else "kept"
                self.stdout.write(f"{account.key:<13} {account.username:<18} {state}")
