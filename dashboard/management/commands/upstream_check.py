"""``manage.py upstream_check``: read everything the dashboard reads, with one API token, and say
what did not parse. Run it once against the real API before going live (README, Deployment)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.upstream.check import upstream_check


class Command(BaseCommand):
    help = (
        "Sign in with an API token from the environment, call every read endpoint the dashboard uses "
        "on every region, parse each answer with the dashboard's parsers, and print a table. Never writes. "
        "Exits 1 when an answer did not parse (tolerated fields are warnings; --strict counts them too)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--token-env",
            default="SCALINGO_API_TOKEN",
            help="Environment variable that holds the API token (default SCALINGO_API_TOKEN).",
        )
        parser.add_argument("--strict", action="store_true", help="Fail on tolerated fields (warnings) too.")

    def handle(self, *args: Any, **options: Any) -> None:
        api_token = os.environ.get(options["token_env"], "").strip()
        if not api_token:
            raise CommandError(f"Set {options['token_env']} to an API token of the account to check.", returncode=2)
        report = upstream_check(api_token=api_token)
        self.stdout.write(f"Upstream check against {report.hosts}")
        self.stdout.write(report.table())
        if not report.passed(strict=options["strict"]):
            raise CommandError("The platform's answers do not all match what the dashboard reads.", returncode=1)
