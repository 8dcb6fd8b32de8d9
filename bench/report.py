"""The Markdown table of ``make bench``, with each target shown next to its figure."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypedDict

from bench.pages import PageSummary
from bench.stack import ROOT
from bench.tools import LIGHTHOUSE_VERSION

RATIO_TARGET = 1.15
WARM_CALLS_TARGET = 1
FIRST_LOAD_KB_TARGET = 60
LIGHTHOUSE_TARGET = 0.95


class Environment(TypedDict):
    date: str
    commit: str
    cpu: str
    python: str
    nginx: str
    wrk: str
    lighthouse: str
    chromium: str


class Samples(TypedDict):
    cold: int
    warm: int
    rps_seconds: int


class LoadSummary(TypedDict):
    connections: int
    seconds: int
    sessions: int
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non200: int
    socket_errors: int


class LatencyRun(TypedDict):
    latency_ms: int
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    timeouts: int
    non200: int
    socket_errors: int


class LatencyRuns(TypedDict):
    path: str
    calls: int
    call_paths: list[str]
    connections: int
    seconds: int
    workers: int
    threads: int
    runs: list[LatencyRun]
    ratio: float
    load_average: str
    date: str
    commit: str


class LighthouseRun(TypedDict):
    page: str
    preset: str
    score: float | None
    metrics: dict[str, str]
    error: str


class BenchData(TypedDict):
    """Everything ``make bench`` measured: the report's input, also written as results.json."""

    quick: bool
    latency_ms: int
    samples: Samples
    pages: list[PageSummary]
    load: LoadSummary | None
    latency: LatencyRuns | None
    lighthouse: list[LighthouseRun]
    elapsed_seconds: int
    environment: Environment


def _run(argv: list[str]) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except OSError:
        return "?"
    return (result.stdout or result.stderr).strip().splitlines()[0] if (result.stdout or result.stderr) else "?"


def environment() -> Environment:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "cpu": f"{os.cpu_count()} × {cpu}",
        "python": platform.python_version(),
        "nginx": _run(["nginx", "-v"]).removeprefix("nginx version: "),
        "wrk": _run(["wrk", "--version"]).split(" [")[0],
        "lighthouse": LIGHTHOUSE_VERSION,
        "chromium": _run(["chromium", "--version"]),
    }


def _ms(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):.0f}"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✅" if ok else " ❌")


def _page_row(page: PageSummary) -> str:
    ratio = page["ratio"]
    warm = page["calls_warm"]
    kb = page["bytes"].get("total", 0) / 1024 if page["bytes"] else None
    statuses = "/".join(str(s) for s in page["statuses"])
    rps = "—" if page["rps"] is None else f"{page['rps']:.0f}"
    if page["rps_errors"]:
        rps += f" ({page['rps_errors']} errors)"
    cells = [
        f"{page['label']} `{page['path']}`",
        statuses,
        f"{_ms(page['cold_p50_ms'])} / {_ms(page['cold_p95_ms'])}",
        f"{_ms(page['warm_p50_ms'])} / {_ms(page['warm_p95_ms'])}",
        _ms(page["slowest_call_ms"]),
        "—" if ratio is None else f"{ratio:.2f}{_mark(ratio <= RATIO_TARGET)}",
        "—" if page["calls_cold"] is None else f"{page['calls_cold']:g}",
        "—" if warm is None else f"{warm}{_mark(warm <= WARM_CALLS_TARGET)}",
        rps,
        "—" if kb is None else f"{kb:.1f}{_mark(kb <= FIRST_LOAD_KB_TARGET)}",
    ]
    return "| " + " | ".join(cells) + " |"


def _count(pages: list[PageSummary], check: Callable[[PageSummary], bool | None]) -> str:
    measured = [page for page in pages if check(page) is not None]
    passed = [page for page in measured if check(page)]
    return f"{len(passed)}/{len(measured)}"


def markdown(data: BenchData) -> str:
    env = data["environment"]
    pages = data["pages"]
    samples = data["samples"]
    lines = [
        "# Benchmark",
        "",
        "Written by `make bench` (`python -m bench`); figures from a real run on the machine below, never asserted",
        "in tests. Re-run it after a change that touches a page, and commit the new table.",
        "",
        f"- Run: {env['date']}, commit `{env['commit']}`{' — **quick run** (`--quick`)' if data['quick'] else ''},"
        f" {data['elapsed_seconds']} s in all.",
        f"- Machine: {env['cpu']} (shared by the dashboard, the sandbox, Redis, nginx and the load generator);"
        f" Python {env['python']}, {env['nginx']}, {env['wrk']}, Lighthouse {env['lighthouse']}, {env['chromium']}.",
        f"- Dashboard: gunicorn, 2 workers × 4 threads (gthread), production settings from the environment, cache"
        f" and sessions in Redis. Upstream: the sandbox under gunicorn, with {data['latency_ms']} ms added to every"
        " call (except for requests per second).",
        "",
        "## Pages",
        "",
        f"Signed in as the team admin (40 months of invoices, apps in both regions). Cold: the cache emptied before"
        f" each of {samples['cold']} views; warm: {samples['warm']} views right after. A view is the page plus any"
        " part it loads lazily. Latencies in ms, measured by the client on loopback.",
        "",
        f"| Page | HTTP | p50 / p95 cold | p50 / p95 warm | slowest upstream call | ratio ≤ {RATIO_TARGET} "
        "| upstream calls, cold | warm ≤ 1 | req/s, no latency | first load KB gz ≤ 60 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[_page_row(page) for page in pages],
        "",
        "Targets met: "
        f"ratio {_count(pages, lambda p: None if p['ratio'] is None else p['ratio'] <= RATIO_TARGET)} pages, "
        f"warm calls {_count(pages, lambda p: None if p['calls_warm'] is None else p['calls_warm'] <= 1)}, "
        f"first load {_count(pages, lambda p: None if not p['bytes'] else p['bytes']['total'] / 1024 <= 60)}.",
        "",
        "- **ratio**: a cold view's time over its slowest single upstream call (median over the cold views), both"
        " timed by the dashboard's own JSON log lines (`upstream call` with `duration_ms`, matched by the"
        " `X-Request-ID` the bench sends). 1.0 means the page costs one upstream round trip.",
        "- **upstream calls**: the log lines for the view's request ids. Cold: median; warm: the most seen.",
        f"- **req/s**: wrk, 8 connections for {samples['rps_seconds']} s per page, no injected latency, one"
        " session (so the reads are cached, as for a person clicking around).",
        "- **first load**: HTML + CSS + JS on the wire with gzip, for a browser with an empty cache, asked of"
        " nginx configured as in `deploy/nginx.conf.example` (the HTML is compressed by nginx, the static"
        " files come pre-compressed from whitenoise). Images are not counted.",
        "",
    ]
    for page in pages:
        if page["calls_cold_paths"]:
            lines.append(f"- {page['label']}, cold: {', '.join(f'`{p}`' for p in page['calls_cold_paths'])}")
    lines.append("")
    load = data["load"]
    lines += ["## Load test", ""]
    if load is None:
        lines += ["Not run (`--no-load`).", ""]
    else:
        errors = load["non200"] + load["socket_errors"]
        lines += [
            f"wrk with {load['connections']} connections for {load['seconds']} s against the 2 workers, on"
            f" loopback, rotating over every signed-in page and {load['sessions']} demo sessions, with"
            f" {data['latency_ms']} ms on every upstream call. Any answer other than a 200 counts as an error.",
            "",
            "| requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors (target 0) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {load['requests']} | {load['rps']:.0f} | {_ms(load['p50_ms'])} | {_ms(load['p95_ms'])} |"
            f" {_ms(load['p99_ms'])} | {_ms(load['max_ms'])} | {errors}{_mark(errors == 0)}"
            f" ({load['non200']} non-200, {load['socket_errors']} socket) |",
            "",
        ]
    lines += latency_section(data.get("latency"))
    lines += ["## Lighthouse", ""]
    if not data["lighthouse"]:
        lines += ["Not run (`--no-lighthouse`).", ""]
    else:
        lines += [
            "Performance category, through nginx (gzip) on loopback; signed-in pages get the session cookie with"
            " `--extra-headers`. *mobile* is Lighthouse's default (simulated slow 4G, 4× CPU slowdown);"
            " *desktop* is `--preset=desktop`.",
            "",
            "| Page | preset | score ≥ 0.95 | FCP | LCP | TBT | CLS |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for run in data["lighthouse"]:
            score = run["score"]
            shown = "—" if score is None else f"{score:.2f}{_mark(score >= LIGHTHOUSE_TARGET)}"
            if run["error"]:
                shown += f" ({run['error'][:80]})"
            metrics = run["metrics"]
            lines.append(
                f"| {run['page']} | {run['preset']} | {shown} | {metrics.get('FCP', '—')} | {metrics.get('LCP', '—')}"
                f" | {metrics.get('TBT', '—')} | {metrics.get('CLS', '—')} |"
            )
        lines.append("")
    return "\n".join(lines)


LATENCY_HEADING = "## Threads under upstream latency"
LATENCY_TARGET = 0.8


def latency_section(latency: LatencyRuns | None) -> list[str]:
    """The read cache off, one page of two upstream calls, 50 connections: with 0 ms, then 100 ms
    added to every upstream call. Waiting on the upstream should not cut the throughput much."""
    lines = [LATENCY_HEADING, ""]
    if latency is None:
        return [*lines, "Not run (`--no-latency-runs`).", ""]
    runs = latency["runs"]
    lines += [
        f"wrk with {latency['connections']} connections for {latency['seconds']} s on `{latency['path']}`"
        f" ({latency['calls']} upstream calls a view: {', '.join(f'`{p}`' for p in latency['call_paths'])}),"
        f" signed in as the team admin, against {latency['workers']} workers × {latency['threads']} threads,"
        " with the read cache off (`UPSTREAM_READ_CACHE_SECONDS=0`), so every view waits on both calls."
        f" Run on {latency['date']} at commit `{latency['commit']}`; load average before the runs:"
        f" {latency['load_average']} (the machine's other work shares its cores).",
        "",
        "| added upstream latency | requests | req/s | p50 ms | p95 ms | max ms | timeouts | errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        errors = run["non200"] + run["socket_errors"] - run["timeouts"]
        lines.append(
            f"| {run['latency_ms']} ms | {run['requests']} | {run['rps']:.1f} | {_ms(run['p50_ms'])} |"
            f" {_ms(run['p95_ms'])} | {_ms(run['max_ms'])} | {run['timeouts']}{_mark(run['timeouts'] == 0)} |"
            f" {errors}{_mark(errors == 0)} ({run['non200']} non-200) |"
        )
    ratio = latency["ratio"]
    lines += [
        "",
        f"Throughput with 100 ms over throughput with 0 ms: **{ratio:.2f}**{_mark(ratio >= LATENCY_TARGET)}"
        f" (target ≥ {LATENCY_TARGET}, with 0 timeouts and 0 errors). wrk counts a request as timed out after"
        " 15 s; an error is any other answer than a 200 or a socket error.",
        "",
    ]
    return lines


def replace_latency_section(document: str, latency: LatencyRuns) -> str:
    """``--only-latency-runs``: the other sections of docs/bench.md stay as the last full run wrote them."""
    section = "\n".join(latency_section(latency))
    start = document.find(LATENCY_HEADING)
    if start == -1:
        anchor = document.find("## Lighthouse")
        if anchor == -1:
            return document.rstrip("\n") + "\n\n" + section
        return document[:anchor] + section + "\n" + document[anchor:]
    end = document.find("\n## ", start + len(LATENCY_HEADING))
    return document[:start] + section + ("\n" + document[end + 1 :] if end != -1 else "")
