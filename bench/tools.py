"""The outside tools the bench drives: wrk (requests per second, load test) and Lighthouse."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.stack import ROOT, clean_env, require_binary

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
LIGHTHOUSE_VERSION = "12.8.2"
CHROMIUM_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage"
)


@dataclass
class WrkResult:
    requests: int
    seconds: float
    non200: int
    socket_errors: int
    timeouts: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non200 + self.socket_errors


def wrk(
    base_url: str, paths: list[str], cookies: list[str], *, connections: int, seconds: int, threads: int = 2
) -> WrkResult:
    """A bounded wrk run on loopback (``seconds`` long, never more than ``connections`` at once)."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise ValueError("load tests target loopback only")
    env = clean_env(BENCH_PATHS=",".join(paths), BENCH_COOKIES="|".join(cookies))
    argv = [
        require_binary("wrk"),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout=15s",
        "-s",
        str(WRK_SCRIPT),
        base_url,
    ]
    result = subprocess.run(  # noqa: S603 - argv we built
        argv, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout[-2000:]} {result.stderr[-2000:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non200=data["non200"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        timeouts=data["timeout"],
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )


def lighthouse_binary() -> Path | None:
    """Installed by ``make bench`` with npm, pinned, under VAR_DIR/node (never committed)."""
    var_dir = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    binary = var_dir / "node" / "node_modules" / ".bin" / "lighthouse"
    return binary if binary.exists() else None


@dataclass
class LighthouseResult:
    score: float | None
    metrics: dict[str, str]
    error: str = ""


def lighthouse(url: str, *, cookie: str | None, preset: str, output: Path) -> LighthouseResult:
    """Lighthouse's performance category for one URL; ``preset`` is ``mobile`` (its default) or ``desktop``.

    Lighthouse sometimes fails to record its trace on a loaded machine; such a run is tried once more."""
    result = _lighthouse_once(url, cookie=cookie, preset=preset, output=output)
    if result.score is None or result.error:
        output.unlink(missing_ok=True)
        result = _lighthouse_once(url, cookie=cookie, preset=preset, output=output)
    return result


def _lighthouse_once(url: str, *, cookie: str | None, preset: str, output: Path) -> LighthouseResult:
    binary = lighthouse_binary()
    if binary is None:
        return LighthouseResult(None, {}, "lighthouse is not installed (make bench installs it)")
    argv = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        "--only-categories=performance",
        f"--chrome-flags={CHROMIUM_FLAGS} --user-data-dir={output.parent / ('chrome-' + output.stem)}",
    ]
    if preset == "desktop":
        argv.append("--preset=desktop")
    if cookie:
        argv.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = clean_env(CHROME_PATH=require_binary("chromium"))
    result = subprocess.run(  # noqa: S603 - argv we built
        argv, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if not output.exists():
        return LighthouseResult(None, {}, f"exit {result.returncode}: {result.stderr[-500:]}")
    report = json.loads(output.read_text())
    audits = report.get("audits", {})
    metrics = {
        name: audits.get(audit, {}).get("displayValue", "?")
        for name, audit in (
            ("FCP", "first-contentful-paint"),
            ("LCP", "largest-contentful-paint"),
            ("TBT", "total-blocking-time"),
            ("CLS", "cumulative-layout-shift"),
        )
    }
    error = report.get("runtimeError", {}).get("message", "") if report.get("runtimeError") else ""
    return LighthouseResult(report["categories"]["performance"]["score"], metrics, error)
