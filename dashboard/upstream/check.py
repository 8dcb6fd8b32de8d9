"""Check a deployment against the real API before going live (``manage.py upstream_check``).

With one API token it signs in (token exchange, the only POST), then calls every *read* endpoint
the dashboard uses, on every region, through the dashboard's own call and parse functions. Each
row says what was called, the status, whether the answer parsed, and how long it took.

A field the dashboard reads strictly and could not read is a FAIL (a page would show an error). A
field it tolerates (``parse.lenient``: logged and replaced by a default, the pages still work) is a
WARN: worth reporting to the platform, not a reason to stop going live. ``strict`` makes warnings
count as failures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings

# Points the dashboard's own REGIONAL calls at each region in turn; the command is one thread.
from django.test.utils import override_settings

from . import account, billing, catalog, errors, parse, referrals, tokens, users

OK, WARN, FAIL = "OK", "WARN", "FAIL"


@dataclass
class Row:
    endpoint: str
    status: str
    outcome: str  # OK, WARN or FAIL
    detail: str
    milliseconds: float

    @property
    def result(self) -> str:
        return self.outcome if not self.detail else f"{self.outcome} {self.detail}"


@dataclass
class Report:
    hosts: str = ""
    rows: list[Row] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def passed(self, *, strict: bool = False) -> bool:
        return self.count(FAIL) == 0 and (not strict or self.count(WARN) == 0)

    def table(self) -> str:
        """Endpoint, status, time, then the result last: a field name can be long."""
        header = ("ENDPOINT", "STATUS", "TIME", "RESULT")
        lines = [(r.endpoint, r.status, f"{r.milliseconds:.0f} ms", r.result) for r in self.rows]
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(3)]
        out = ["  ".join([*(line[i].ljust(widths[i]) for i in range(3)), line[3]]) for line in [header, *lines]]
        out.append(
            f"{self.count(OK)} OK, {self.count(WARN)} warning(s), {self.count(FAIL)} failure(s) "
            f"in {len(self.rows)} calls."
        )
        return "\n".join(out)


class _StaticAuth:
    """A bearer for the check's few seconds; a 401 exchanges the token again once."""

    def __init__(self, api_token: str, bearer: str) -> None:
        self._api_token = api_token
        self._bearer = bearer

    def bearer(self) -> str:
        return self._bearer

    def reexchange(self, refused: str | None = None) -> str:
        self._bearer = tokens.token_exchange(api_token=self._api_token).value
        return self._bearer


class _Calls(logging.Handler):
    """Collects the ``upstream call`` log records of this thread: method, host, path and status of
    each request the dashboard's functions made."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == "upstream call" and record.thread == self.thread:
            self.records.append(record)


@contextmanager
def _listening() -> Iterator[_Calls]:
    upstream_logger = logging.getLogger("dashboard.upstream")
    handler = _Calls()
    level, propagate = upstream_logger.level, upstream_logger.propagate
    upstream_logger.addHandler(handler)
    upstream_logger.setLevel(logging.INFO)
    upstream_logger.propagate = False  # the table says it all; no log line between its rows
    try:
        yield handler
    finally:
        upstream_logger.removeHandler(handler)
        upstream_logger.setLevel(level)
        upstream_logger.propagate = propagate


def _label(record: logging.LogRecord, where: str) -> str:
    return f"{getattr(record, 'method', '?')} {where} {getattr(record, 'path', '?')}"


def _field_detail(exc: errors.UpstreamFailure) -> str:
    where = getattr(exc, "field", None)
    return f"{where}: {exc.message}" if where else exc.message or type(exc).__name__


def _run(report: Report, calls: _Calls, where: str, read: Callable[[], Any]) -> Any:
    """One read: the row's endpoint and status come from the request the function made."""
    calls.records.clear()
    started = time.monotonic()
    value: Any = None
    try:
        with parse.tolerated() as tolerated:
            value = read()
    except errors.UpstreamFailure as exc:  # a refused token too: it is a FAIL row, not a crash
        outcome, detail = FAIL, _field_detail(exc)
    else:
        if tolerated:
            outcome, detail = WARN, "; ".join(f"{t.field}: {t.reason} (tolerated)" for t in tolerated)
        else:
            outcome, detail = OK, ""
    elapsed = (time.monotonic() - started) * 1000
    record = calls.records[-1] if calls.records else None
    endpoint = _label(record, where) if record else f"? {where}"
    status = str(getattr(record, "status", "-")) if record else "-"
    report.rows.append(Row(endpoint=endpoint, status=status, outcome=outcome, detail=detail, milliseconds=elapsed))
    return value


def upstream_check(*, api_token: str) -> Report:
    """Sign in with ``api_token`` and read everything the dashboard reads. Never writes."""
    report = Report(hosts=f"AUTH {settings.SCALINGO_AUTH_URL}")
    with _listening() as calls:
        bearer = _run(report, calls, "AUTH", lambda: tokens.token_exchange(api_token=api_token))
        if bearer is None:
            return report
        auth = _StaticAuth(api_token, bearer.value)
        _run(report, calls, "AUTH", lambda: users.user_self(auth=auth))
        _run(report, calls, "AUTH", lambda: tokens.token_list(auth=auth))
        _run(report, calls, "AUTH", lambda: account.key_list(auth=auth))
        _run(report, calls, "AUTH", lambda: account.tfa_show(auth=auth))
        regions = _run(report, calls, "AUTH", lambda: account.region_list(auth=auth)) or []
        for region in regions:
            _check_region(report, calls, auth, region)
    return report


def _check_region(report: Report, calls: _Calls, auth: _StaticAuth, region: account.Region) -> None:
    where = region.name
    today = date.today()
    with override_settings(SCALINGO_API_URL=region.api):
        _run(report, calls, where, lambda: account.app_list(auth=auth, region=region))
        _run(report, calls, where, lambda: billing.billing_profile_get(auth=auth))
        _run(report, calls, where, lambda: billing.billing_operation_list(auth=auth, page=1, per_page=10))
        page = _run(report, calls, where, lambda: billing.invoice_list(auth=auth, page=1, per_page=10))
        if page is not None and page.items:
            first = page.items[0].id
            _run(report, calls, where, lambda: billing.invoice_get(auth=auth, invoice_id=first))
            _run(report, calls, where, lambda: billing.invoice_download_url(auth=auth, invoice_id=first))
        _run(
            report,
            calls,
            where,
            lambda: billing.usage_get(
                auth=auth, date_from=today.replace(day=1), date_to=today + timedelta(days=1), api_url=region.api
            ),
        )
        _run(report, calls, where, lambda: referrals.referral_stats(auth=auth))
        _run(report, calls, where, lambda: catalog.addon_category_list(auth=auth))
        _run(report, calls, where, lambda: catalog.addon_provider_list(auth=auth))
        _run(report, calls, where, lambda: catalog.container_size_list(auth=auth))
