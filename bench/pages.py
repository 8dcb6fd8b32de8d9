"""Per-page measurements against a running dashboard: latency, upstream calls and bytes.

Each page view sends its own ``X-Request-ID``; the dashboard logs every upstream call with that id
and its ``duration_ms`` (JSON lines on its stderr), which is how calls are counted and timed.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import httpx

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NAV = re.compile(r'<nav class="sidebar".*?</nav>', re.S)
NAV_LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')
LAZY_PART = re.compile(r'<[^>]*\bhx-get="([^"]+)"[^>]*\bhx-trigger="[^"]*\b(?:load|revealed|intersect)\b[^>]*>')
ASSET = re.compile(r'<(?:link rel="stylesheet"|script)[^>]+(?:href|src)="([^"]+)"')


def sign_in(base_url: str, api_token: str) -> httpx.Client:
    """A client signed in through the real form (CSRF token, same-origin post)."""
    client = httpx.Client(base_url=base_url, timeout=30)
    form = client.get("/signin/", params={"method": "token"})
    token = CSRF_INPUT.search(form.text)
    if form.status_code != 200 or token is None:
        raise RuntimeError(f"sign-in form: {form.status_code} {form.text[:500]}")
    response = client.post(
        "/signin/",
        data={"csrfmiddlewaretoken": token.group(1), "method": "token", "api_token": api_token},
        headers={"Origin": base_url, "Referer": f"{base_url}/signin/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in refused: {response.status_code} {response.text[:500]}")
    return client


def navigation(client: httpx.Client) -> list[tuple[str, str]]:
    """(label, path) of every page in the account navigation, as the layout renders it."""
    page = client.get("/")
    nav = NAV.search(page.text)
    if page.status_code != 200 or nav is None:
        raise RuntimeError(f"no navigation on the overview: {page.status_code} {page.text[:500]}")
    return [(label.strip(), href) for href, label in NAV_LINK.findall(nav.group(0))]


def session_cookie(client: httpx.Client) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)


@dataclass
class ViewSample:
    seconds: float
    status: int
    request_ids: list[str]
    parts: int = 0


def _request_id(label: str) -> str:
    return f"bench-{re.sub(r'[^a-z0-9]', '', label.lower())[:12]}-{uuid.uuid4().hex[:16]}"


def view(client: httpx.Client, path: str, label: str, pool: ThreadPoolExecutor) -> ViewSample:
    """One page view as a browser makes it: the page, then its lazy parts side by side."""
    ids = [_request_id(label)]
    started = time.perf_counter()
    page = client.get(path, headers={"X-Request-ID": ids[0]})
    parts = [part.replace("&amp;", "&") for part in LAZY_PART.findall(page.text)]

    def fetch_part(part: str) -> str:
        part_id = _request_id(label)
        client.get(part, headers={"X-Request-ID": part_id, "HX-Request": "true"})
        return part_id

    ids += list(pool.map(fetch_part, parts))
    return ViewSample(time.perf_counter() - started, page.status_code, ids, len(parts))


@dataclass
class Call:
    path: str
    status: object
    duration_ms: float


def upstream_calls(log_path: Path) -> dict[str, list[Call]]:
    """Request id → the upstream calls the dashboard logged for it."""
    calls: dict[str, list[Call]] = defaultdict(list)
    for line in log_path.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("message") == "upstream call":
            calls[entry["request_id"]].append(Call(entry.get("path", ""), entry.get("status"), entry["duration_ms"]))
    return calls


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class PageSummary(TypedDict):
    """One page's figures, as ``PageResult.summary`` hands them to the report (and to results.json)."""

    label: str
    path: str
    anonymous: bool
    statuses: list[int]
    cold_p50_ms: float
    cold_p95_ms: float
    warm_p50_ms: float
    warm_p95_ms: float
    slowest_call_ms: float | None
    ratio: float | None
    calls_cold: float | None
    calls_cold_paths: list[str]
    calls_warm: int | None
    lazy_parts: int
    rps: float | None
    rps_errors: int
    bytes: dict[str, int]


@dataclass
class PageResult:
    label: str
    path: str
    anonymous: bool = False
    cold: list[ViewSample] = field(default_factory=list)
    warm: list[ViewSample] = field(default_factory=list)
    rps: float | None = None
    rps_errors: int = 0
    bytes: dict[str, int] = field(default_factory=dict)

    def statuses(self) -> set[int]:
        return {sample.status for sample in self.cold + self.warm}

    def summary(self, calls: dict[str, list[Call]]) -> PageSummary:
        def calls_of(sample: ViewSample) -> list[Call]:
            return [call for request_id in sample.request_ids for call in calls.get(request_id, [])]

        ratios, slowest = [], []
        for sample in self.cold:
            durations = [call.duration_ms for call in calls_of(sample)]
            if durations:
                slowest.append(max(durations))
                ratios.append(sample.seconds * 1000 / max(durations))
        cold_ms = [sample.seconds * 1000 for sample in self.cold]
        warm_ms = [sample.seconds * 1000 for sample in self.warm]
        return {
            "label": self.label,
            "path": self.path,
            "anonymous": self.anonymous,
            "statuses": sorted(self.statuses()),
            "cold_p50_ms": percentile(cold_ms, 0.5),
            "cold_p95_ms": percentile(cold_ms, 0.95),
            "warm_p50_ms": percentile(warm_ms, 0.5),
            "warm_p95_ms": percentile(warm_ms, 0.95),
            "slowest_call_ms": statistics.median(slowest) if slowest else None,
            "ratio": statistics.median(ratios) if ratios else None,
            "calls_cold": statistics.median([len(calls_of(s)) for s in self.cold]) if self.cold else None,
            "calls_cold_paths": sorted({call.path for s in self.cold[:1] for call in calls_of(s)}),
            "calls_warm": max((len(calls_of(s)) for s in self.warm), default=None),
            "lazy_parts": max((s.parts for s in self.cold + self.warm), default=0),
            "rps": self.rps,
            "rps_errors": self.rps_errors,
            "bytes": dict(self.bytes),
        }


def first_load_bytes(base_url: str, path: str, cookie: str | None) -> dict[str, int]:
    """Bytes on the wire, gzip, for a first visit with an empty browser cache: HTML, CSS, JS.

    Asked of nginx (gzip on, as in deploy/nginx.conf.example); the HTML is also gzip-compressed
    here when the server sent it plain, so the figure never depends on the proxy.
    """
    headers = {"Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    totals = {"html": 0, "css": 0, "js": 0}
    with httpx.Client(base_url=base_url, timeout=30, headers=headers) as client:

        def wire_size(url: str) -> int:
            with client.stream("GET", url) as response:
                raw = b"".join(response.iter_raw())
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
            if response.headers.get("content-encoding") not in ("gzip", "br"):
                return len(gzip.compress(raw, compresslevel=6))
            return len(raw)

        html = client.get(path).text
        totals["html"] += wire_size(path)
        for part in LAZY_PART.findall(html):
            totals["html"] += wire_size(part.replace("&amp;", "&"))
        for asset in dict.fromkeys(ASSET.findall(html)):
            totals["css" if asset.endswith(".css") else "js"] += wire_size(asset)
    totals["total"] = totals["html"] + totals["css"] + totals["js"]
    return totals
