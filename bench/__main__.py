"""``make bench``: the dashboard's speed, measured on this machine, written to docs/bench.md.

Starts the sandbox (100 ms injected into every upstream call), Redis, the dashboard under gunicorn
(2 workers, production settings through the environment, cache and sessions in Redis) and nginx
(gzip) in front; signs in as the team admin, then measures every page of the navigation and the
public catalog. Then, with a second dashboard whose read cache is off, 50 connections on a page of
two upstream calls with 0 ms and with 100 ms added to every upstream call: the throughput ratio
shows whether the threads, not the CPU, are the limit. ``--quick`` is a short run for trying things
out; ``--only-latency-runs`` runs the last part alone and rewrites only its section.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import redis

from bench import pages, report, stack, tools

LATENCY_MS = 100
# As `make serve` starts gunicorn (same variables, same defaults).
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
THREADS = int(os.environ.get("GUNICORN_THREADS", "16"))
# A page that needs two upstream calls (`/users/self`, `/account/invoices`) and nothing else.
LATENCY_RUN_PATH = "/profile/"


def _set_latency(sandbox: stack.Service, latency_ms: int) -> None:
    response = httpx.put(f"{stack.sandbox_url(sandbox)}/_control/faults", json={"latency_ms": latency_ms}, timeout=10)
    response.raise_for_status()


def _clear_cache(store: redis.Redis) -> None:
    """Every cached read goes; the sessions stay (same Redis database, kept by their key), and so do
    the platform's regions (``public:regions``, kept an hour for everyone: a cold view of a running
    dashboard finds them, as it did when each process kept them in memory)."""
    kept = (b"django.contrib.sessions", b"public:regions")
    doomed = [key for key in store.scan_iter("*") if not any(part in key for part in kept)]
    if doomed:
        store.delete(*doomed)


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def latency_runs(
    workdir: Path, sandbox: stack.Service, *, redis_url: str, seconds: int, connections: int = 50
) -> report.LatencyRuns:
    """The read cache off, one page of two upstream calls under 50 connections, with 0 ms and then
    100 ms added to every upstream call: how much throughput the waiting costs (threads, not CPU)."""
    env = stack.dashboard_env(
        workdir,
        stack.sandbox_url(sandbox),
        stack.Secrets(),
        redis_url=redis_url,
        behind_tls_proxy=False,
        UPSTREAM_READ_CACHE_SECONDS="0",
    )
    stack.prepare_dashboard(env, workdir)
    dashboard = stack.start_dashboard(env, workdir, name="dashboard-nocache", workers=WORKERS, threads=THREADS)
    try:
        from sandbox.demo import demo_account

        base = f"http://127.0.0.1:{dashboard.port}"
        client = pages.sign_in(base, demo_account("teamadmin").api_token)
        cookie = pages.session_cookie(client)
        with ThreadPoolExecutor(2) as pool:
            sample = pages.view(client, LATENCY_RUN_PATH, "latency", pool)
        if sample.status != 200:
            raise RuntimeError(f"{LATENCY_RUN_PATH} answered {sample.status}")
        time.sleep(0.5)  # the log line of the last upstream call
        calls = [c for rid in sample.request_ids for c in pages.upstream_calls(dashboard.log_path).get(rid, [])]
        runs: list[report.LatencyRun] = []
        for latency_ms in (0, LATENCY_MS):
            _set_latency(sandbox, latency_ms)
            _log(f"latency runs: {connections} connections for {seconds} s on {LATENCY_RUN_PATH}, +{latency_ms} ms")
            measured = tools.wrk(base, [LATENCY_RUN_PATH], [cookie], connections=connections, seconds=seconds)
            runs.append(
                {
                    "latency_ms": latency_ms,
                    "requests": measured.requests,
                    "rps": measured.rps,
                    "p50_ms": measured.p50_ms,
                    "p95_ms": measured.p95_ms,
                    "max_ms": measured.max_ms,
                    "timeouts": measured.timeouts,
                    "non200": measured.non200,
                    "socket_errors": measured.socket_errors,
                }
            )
        _set_latency(sandbox, LATENCY_MS)
        environment = report.environment()
        return {
            "path": LATENCY_RUN_PATH,
            "calls": len(calls),
            "call_paths": sorted(c.path for c in calls),
            "connections": connections,
            "seconds": seconds,
            "workers": WORKERS,
            "threads": THREADS,
            "runs": runs,
            "ratio": runs[1]["rps"] / runs[0]["rps"] if runs[0]["rps"] else 0.0,
            "load_average": " ".join(f"{v:.1f}" for v in os.getloadavg()),
            "date": environment["date"],
            "commit": environment["commit"],
        }
    finally:
        dashboard.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, a 10 s load test, one Lighthouse run")
    parser.add_argument("--output", type=Path, default=stack.ROOT / "docs" / "bench.md")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-load", action="store_true", help="skip the 50-user load test")
    parser.add_argument("--no-latency-runs", action="store_true", help="skip the cache-off 0 ms / 100 ms runs")
    parser.add_argument(
        "--only-latency-runs",
        action="store_true",
        help="only the cache-off 0 ms / 100 ms runs; updates their section of the output and keeps the rest",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    cold_samples, warm_samples = (2, 3) if quick else (5, 10)
    rps_seconds, load_seconds = (1, 10) if quick else (3, 60)
    latency_seconds = 10 if quick else 20

    workdir = Path(os.environ.get("VAR_DIR", stack.ROOT / "var")) / "bench"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    services: list[stack.Service] = []
    started_at = time.monotonic()
    try:
        _log("starting the sandbox, Redis, the dashboard (2 workers) and nginx")
        sandbox = stack.start_sandbox(workdir / "sandbox", latency_ms=LATENCY_MS, rate_limit=0, threads=32)
        services.append(sandbox)
        redis_service = stack.start_redis(workdir / "redis")
        services.append(redis_service)
        if args.only_latency_runs:
            only = latency_runs(
                workdir / "nocache",
                sandbox,
                redis_url=f"redis://127.0.0.1:{redis_service.port}/1",
                seconds=latency_seconds,
            )
            document = args.output.read_text() if args.output.exists() else "# Benchmark\n"
            args.output.write_text(report.replace_latency_section(document, only))
            _log(f"done in {round(time.monotonic() - started_at)} s: {args.output}")
            print("\n".join(report.latency_section(only)))
            return 0
        env = stack.dashboard_env(
            workdir / "dashboard",
            stack.sandbox_url(sandbox),
            stack.Secrets(),
            redis_url=f"redis://127.0.0.1:{redis_service.port}/0",
            behind_tls_proxy=False,
        )
        stack.prepare_dashboard(env, workdir / "dashboard")
        dashboard = stack.start_dashboard(env, workdir / "dashboard", workers=WORKERS, threads=THREADS)
        services.append(dashboard)
        nginx = stack.start_nginx(workdir / "nginx", upstreams=[dashboard.port])
        services.append(nginx)
        store = redis.Redis(host="127.0.0.1", port=redis_service.port, db=0)
        base = f"http://127.0.0.1:{dashboard.port}"

        from sandbox.demo import DEMO_ACCOUNTS, demo_account

        client = pages.sign_in(base, demo_account("teamadmin").api_token)
        cookie = pages.session_cookie(client)
        results = [pages.PageResult(label, path) for label, path in pages.navigation(client)]
        catalog = next((r.path for r in results if r.path.rstrip("/").endswith("catalog")), "/catalog/")
        results.append(pages.PageResult("Catalog (anonymous)", catalog, anonymous=True))
        anonymous = httpx.Client(base_url=base, timeout=30)

        _log(f"latency with {LATENCY_MS} ms per upstream call: {len(results)} pages")
        with ThreadPoolExecutor(8) as pool:
            for result in results:
                who = anonymous if result.anonymous else client
                pages.view(who, result.path, result.label, pool)  # compiles templates, opens connections
                for _ in range(cold_samples):
                    _clear_cache(store)
                    result.cold.append(pages.view(who, result.path, result.label, pool))
                for _ in range(warm_samples):
                    result.warm.append(pages.view(who, result.path, result.label, pool))

        _log("bytes of a first full load (through nginx, gzip)")
        for result in results:
            result.bytes = pages.first_load_bytes(nginx.http_url, result.path, None if result.anonymous else cookie)

        _log(f"requests per second with no latency ({rps_seconds} s of wrk per page)")
        _set_latency(sandbox, 0)
        for result in results:
            measured = tools.wrk(
                base, [result.path], [] if result.anonymous else [cookie], connections=8, seconds=rps_seconds
            )
            result.rps, result.rps_errors = measured.rps, measured.errors

        load = None
        users: list[str] = []
        if not args.no_load:
            _set_latency(sandbox, LATENCY_MS)
            for account in DEMO_ACCOUNTS:
                try:
                    users.append(pages.session_cookie(pages.sign_in(base, account.api_token)))
                except RuntimeError as exc:
                    _log(f"load test: {account.key} could not sign in ({exc})")
            signed_in_paths = [r.path for r in results if not r.anonymous]
            _log(f"load test: 50 connections for {load_seconds} s over {len(users)} sessions")
            load = tools.wrk(base, signed_in_paths, users, connections=50, seconds=load_seconds)

        latency: report.LatencyRuns | None = None
        if not args.no_latency_runs:
            latency = latency_runs(
                workdir / "nocache",
                sandbox,
                redis_url=f"redis://127.0.0.1:{redis_service.port}/1",
                seconds=latency_seconds,
            )

        lighthouse: list[report.LighthouseRun] = []
        if not args.no_lighthouse:
            wanted = ["/", "invoices", catalog]
            targets = [
                r
                for r in results
                if (r.path == "/" and not r.anonymous)
                or (r.path.rstrip("/").endswith("invoices") and not r.anonymous)
                or (r.path == catalog and r.anonymous)
            ]
            presets = ["desktop"] if quick else ["mobile", "desktop"]
            if quick:
                targets = targets[:1]
            _log(f"Lighthouse: {len(targets)} pages × {presets} ({', '.join(wanted)})")
            for result in targets:
                for preset in presets:
                    audit = tools.lighthouse(
                        f"{nginx.http_url}{result.path}",
                        cookie=None if result.anonymous else cookie,
                        preset=preset,
                        output=workdir / f"lighthouse-{preset}-{len(lighthouse)}.json",
                    )
                    lighthouse.append(
                        {
                            "page": result.label,
                            "preset": preset,
                            "score": audit.score,
                            "metrics": audit.metrics,
                            "error": audit.error,
                        }
                    )

        calls = pages.upstream_calls(dashboard.log_path)
        summaries = [result.summary(calls) for result in results]
        data: report.BenchData = {
            "quick": quick,
            "latency_ms": LATENCY_MS,
            "samples": {"cold": cold_samples, "warm": warm_samples, "rps_seconds": rps_seconds},
            "pages": summaries,
            "load": None
            if load is None
            else {
                "connections": 50,
                "seconds": load_seconds,
                "sessions": len(users),
                "requests": load.requests,
                "rps": load.rps,
                "p50_ms": load.p50_ms,
                "p95_ms": load.p95_ms,
                "p99_ms": load.p99_ms,
                "max_ms": load.max_ms,
                "non200": load.non200,
                "socket_errors": load.socket_errors,
            },
            "latency": latency,
            "lighthouse": lighthouse,
            "elapsed_seconds": round(time.monotonic() - started_at),
            "environment": report.environment(),
        }
        (workdir / "results.json").write_text(json.dumps(data, indent=2, default=str))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report.markdown(data))
        _log(f"done in {data['elapsed_seconds']} s: {args.output} (raw figures in {workdir / 'results.json'})")
        print(report.markdown(data))
        return 0
    except Exception:
        for service in services:
            print(f"\n=== {service.name} (pid {service.pid}) ===\n{service.log_tail(3000)}", file=sys.stderr)
        raise
    finally:
        for service in reversed(services):
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
