"""``make demo`` as a person meets it: a quiet console (what is served where, then the logins) and a
dashboard that behaves like the product (designed error pages, static files, logos allowed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.stack import free_port

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]
BANNER_END = "Ctrl-C stops everything."


@dataclass
class Demo:
    port: int
    sandbox_port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def console(self) -> str:
        return self.log.read_text()


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    """The demo started as ``make demo`` starts it (migrations and seed first, then dashboard.demo)."""
    var_dir = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "dashboard.settings.development",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_DEBUG", None)
    sandbox_env = {**env, "SANDBOX_ENABLED": "true", "DATABASE_PATH": str(var_dir / "sandbox.sqlite3")}
    _manage(sandbox_env, "migrate", "--noinput", "-v0")
    _manage(sandbox_env, "sandbox_seed", "-v0")
    _manage({**env, "DATABASE_PATH": str(var_dir / "dashboard.sqlite3")}, "migrate", "--noinput", "-v0")
    demo = Demo(port=free_port(), sandbox_port=free_port(), log=var_dir / "console.log")
    with demo.log.open("w") as console:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard.demo"],
            cwd=ROOT,
            env={**env, "PORT": str(demo.port), "SANDBOX_PORT": str(demo.sandbox_port)},
            stdout=console,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while BANNER_END not in demo.console():
            assert process.poll() is None, demo.console()
            assert time.monotonic() < deadline, demo.console()
            time.sleep(0.2)
        yield demo
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_it_prints_what_is_served_where_then_the_logins(demo):
    console = demo.console()
    before_banner = console[: console.index(BANNER_END)]
    lines = [line.strip() for line in before_banner.splitlines() if line.strip()]
    assert lines[0] == f"Account dashboard (demo): http://127.0.0.1:{demo.port}/"
    assert lines[1].endswith(f"http://127.0.0.1:{demo.sandbox_port}/sandbox/")
    assert lines[2].startswith("Demo logins")
    assert "• ordinary:" in before_banner
    assert "demo-ordinary-password" in before_banner
    for noise in ("Django version", "development server", "Starting", "Performing system checks", "WARNING"):
        assert noise not in before_banner, f"{noise!r} before the logins:\n{console}"
    for noise in ("Django version", "development server", "Performing system checks", "Unprocessable Entity"):
        assert noise not in console, f"{noise!r} in the demo console:\n{console}"


def test_it_shows_the_designed_404_page(demo):
    response = httpx.get(f"{demo.url}/no-such-page/")
    assert response.status_code == 404
    assert "<title>Page not found · Account dashboard</title>" in response.text
    assert 'href="/static/css/app.css"' in response.text
    # Not Django's debug page.
    assert "Using the URLconf" not in response.text
    assert "DEBUG = True" not in response.text


def test_it_still_serves_static_files(demo):
    response = httpx.get(f"{demo.url}/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")


def test_its_catalog_allows_the_sandbox_logos(demo):
    page = httpx.get(f"{demo.url}/catalog/")
    assert page.status_code == 200
    sandbox_origin = f"http://127.0.0.1:{demo.sandbox_port}"
    img_src = next(d for d in page.headers["Content-Security-Policy"].split("; ") if d.startswith("img-src"))
    assert img_src == f"img-src 'self' https: data: {sandbox_origin}"
    assert f'src="{sandbox_origin}/sandbox/files/logos/postgresql.svg"' in page.text
    logo = httpx.get(f"{sandbox_origin}/sandbox/files/logos/postgresql.svg")
    assert logo.status_code == 200
    assert logo.headers["Content-Type"] == "image/svg+xml"
