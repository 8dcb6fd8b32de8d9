"""Real processes for the infrastructure tests: the sandbox, gunicorn with production settings,
nginx with TLS in front, and redis-server. Each starts once per test session.

A missing nginx or redis-server fails these tests (``make test`` installs them); it never skips.
When a test fails, the end of every process's log is attached to its report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench import stack
from tests.helpers import demo

_running: list[stack.Service] = []

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and "infra" in item.keywords:
        for service in _running:
            report.sections.append((f"log of {service.name} (pid {service.pid})", service.log_tail(4000)))


def _track(service: stack.Service) -> stack.Service:
    _running.append(service)
    return service


@pytest.fixture(scope="session")
def infra_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("infra")


@pytest.fixture(scope="session")
def sandbox_process(infra_dir) -> Iterator[stack.Service]:
    service = _track(stack.start_sandbox(infra_dir / "sandbox"))
    yield service
    service.stop()


@dataclass
class Site:
    """The dashboard as a browser reaches it: through nginx over HTTPS, at ``prefix``."""

    nginx: stack.Nginx
    instances: list[stack.Service]
    prefix: str
    workdir: Path
    redis: stack.Service | None = None

    @property
    def origin(self) -> str:
        return self.nginx.url

    def path(self, path: str) -> str:
        return f"{self.prefix}{path}"

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.origin, verify=self.nginx.ssl_context(), timeout=20)

    def post(self, client: httpx.Client, path: str, data: dict[str, str], **headers: str) -> httpx.Response:
        """A form post as a browser on this site makes it: CSRF token from the cookie, same Origin."""
        token = csrf_cookie(client)
        return client.post(
            self.path(path),
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Origin": self.origin, "Referer": self.origin + self.path("/"), **headers},
        )

    def sign_in(self, client: httpx.Client, key: str = "teamadmin", next_url: str = "") -> httpx.Response:
        form = client.get(self.path("/signin/"), params={"method": "token"})
        assert form.status_code == 200, form.text[:2000]
        token = CSRF_INPUT.search(form.text)
        assert token, "the sign-in form carries a CSRF token"
        return client.post(
            self.path("/signin/"),
            data={
                "csrfmiddlewaretoken": token.group(1),
                "method": "token",
                "api_token": demo(key).api_token,
                "next": next_url,
            },
            headers={"Origin": self.origin, "Referer": f"{self.origin}{self.path('/signin/')}"},
        )


def csrf_cookie(client: httpx.Client) -> str:
    for cookie in client.cookies.jar:
        if cookie.name == "csrftoken":
            return cookie.value or ""
    raise AssertionError("no csrftoken cookie")


@pytest.fixture(scope="session")
def site_factory(infra_dir, sandbox_process) -> Iterator[Callable[..., Site]]:
    """``site_factory(prefix="", instances=1, redis=False)``: started once per combination."""
    sites: dict[tuple[str, int, bool], Site] = {}
    started: list[stack.Service] = []

    def make(prefix: str = "", instances: int = 1, redis: bool = False) -> Site:
        key = (prefix, instances, redis)
        if key in sites:
            return sites[key]
        name = f"site{len(sites)}"
        workdir = infra_dir / name
        redis_service = None
        redis_url = ""
        if redis:
            redis_service = _track(stack.start_redis(workdir / "redis"))
            started.append(redis_service)
            redis_url = f"redis://127.0.0.1:{redis_service.port}/1"
        env = stack.dashboard_env(
            workdir, stack.sandbox_url(sandbox_process), stack.Secrets(), script_name=prefix, redis_url=redis_url
        )
        stack.prepare_dashboard(env, workdir)
        dashboards = []
        for number in range(instances):
            service = _track(stack.start_dashboard(env, workdir, name=f"{name}-gunicorn{number}"))
            started.append(service)
            dashboards.append(service)
        nginx = _track(stack.start_nginx(workdir / "nginx", upstreams=[d.port for d in dashboards], prefix=prefix))
        started.append(nginx)
        sites[key] = Site(nginx=nginx, instances=dashboards, prefix=prefix, workdir=workdir, redis=redis_service)
        return sites[key]

    yield make
    for service in reversed(started):
        service.stop()
