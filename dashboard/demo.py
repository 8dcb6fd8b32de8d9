"""``make demo``: the sandbox and the dashboard side by side, on loopback, until Ctrl-C.

Two processes, so that the dashboard calls the sandbox over real HTTP exactly as it would call
the platform API; the sandbox keeps its own database. Both run as the product runs (gunicorn,
DEBUG off, so a missing page shows the designed 404 page), and the console shows only what is
served where, the demo logins, then the dashboard's log lines.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from dashboard.env import env_int


def _wait_until_up(url: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL we built
                return True
        except urllib.error.HTTPError:
            return True  # it answered: the server is up
        except OSError:
            time.sleep(0.3)
    return False


def main() -> int:
    port = env_int("PORT", 8000)
    sandbox_port = env_int("SANDBOX_PORT", 8001)
    var_dir = os.environ.get("VAR_DIR", os.path.join(os.getcwd(), "var"))
    sandbox_url = f"http://127.0.0.1:{sandbox_port}/sandbox"
    files_origin = f"http://localhost:{sandbox_port}"
    common = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings.development",
        "DJANGO_DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    sandbox_env = {
        **common,
        "SANDBOX_ENABLED": "true",
        "DATABASE_PATH": os.path.join(var_dir, "sandbox.sqlite3"),
        # Invoice PDFs on another origin than the API, as on the platform (download.scalingo.com).
        "SANDBOX_FILES_URL": f"{files_origin}/sandbox/files",
        # Its 4xx answers are the platform's normal replies, already in the dashboard's lines.
        "LOG_LEVEL": "ERROR",
        "LOG_FORMAT": "text",
    }
    dashboard_env = {
        **common,
        "SANDBOX_ENABLED": "false",
        "DATABASE_PATH": os.path.join(var_dir, "dashboard.sqlite3"),
        "SCALINGO_AUTH_URL": f"{sandbox_url}/auth",
        "SCALINGO_API_URL": f"{sandbox_url}/api/osc-fr1",
        "SCALINGO_BILLING_URL": f"{sandbox_url}/billing",
        "SCALINGO_DOWNLOAD_HOSTS": files_origin,
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
    }
    processes = [
        subprocess.Popen(_server_command(sandbox_port), env=sandbox_env),  # noqa: S603
        subprocess.Popen(_server_command(port), env=dashboard_env),  # noqa: S603
    ]

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def on_sigterm(*_args: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        if not (
            _wait_until_up(f"http://127.0.0.1:{port}/healthz") and _wait_until_up(f"{sandbox_url}/auth/v1/regions")
        ):
            print("The demo did not start; see the errors above.", file=sys.stderr)
            stop()
            return 1
        _print_banner(port, sandbox_url)
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


def _server_command(port: int) -> list[str]:
    """gunicorn, quiet at start-up: no development-server banner or warning, no access log (the
    dashboard logs each request itself)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dashboard.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "8",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--no-control-socket",
    ]


def _print_banner(port: int, sandbox_url: str) -> None:
    from sandbox.demo import DEMO_ACCOUNTS

    lines = [
        "",
        f"  Account dashboard (demo): http://127.0.0.1:{port}/",
        f"  Platform sandbox it calls (the local imitation of the Scalingo API): {sandbox_url}/",
        "",
        "  Demo logins — sign in with the email + password, or paste the API token:",
    ]
    for account in DEMO_ACCOUNTS:
        lines.append(f"  • {account.key}: {account.description}")
        password = account.password or "(none: GitHub account, use the API token)"
        lines.append(f"      email {account.email}   password {password}")
        lines.append(f"      API token {account.api_token}")
        if account.totp_secret:
            lines.append(f"      2FA secret {account.totp_secret} (add it to an authenticator app)")
    lines += ["", "  Ctrl-C stops everything.", ""]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
