"""The deploy files run as written: ``make serve`` from a virtual environment holding the runtime lock
alone, the Procfile's lines with the environment scalingo.json declares (and a real Redis as the
addon), and the Dockerfile's command and health check, with nginx as compose.yaml puts it in front.

The runtime environment is built once per version of requirements.txt and kept under
``var/venvs/`` (keyed by the lock's hash), so reruns skip the install.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from bench import stack
from tests.helpers import demo

pytestmark = pytest.mark.infra

ROOT = stack.ROOT
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What production must not carry: the test and type-checking tools, and the sandbox's own packages.
NOT_IN_PRODUCTION = ["pytest", "playwright", "mypy", "hypothesis", "time_machine", "ruff", "pyotp", "fpdf", "pypdf"]


# --- the runtime virtual environment -------------------------------------------------------------


@pytest.fixture(scope="session")
def runtime_venv() -> Path:
    """A virtual environment with requirements.txt alone, installed by the Makefile's own target."""
    lock_hash = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()[:16]
    var_dir = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    venv = var_dir / "venvs" / f"runtime-{lock_hash}"
    venv.parent.mkdir(parents=True, exist_ok=True)
    # One install at a time, whichever test process (pytest-xdist worker) gets here first.
    with (venv.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".installed-runtime").exists():
            result = subprocess.run(
                ["make", "--no-print-directory", f"VENV={venv}", f"{venv}/.installed-runtime"],
                cwd=ROOT,
                env=stack.clean_env(),
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return venv


def importable(venv: Path, modules: list[str]) -> list[str]:
    script = "import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m)))"
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, *modules],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.split()


def venv_env(venv: Path, **extra: str) -> dict[str, str]:
    """The environment a platform gives a process: the virtual environment first on PATH."""
    env = stack.clean_env(**extra)
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def spawn(argv: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own group, so that stopping it stops what it started (make -> gunicorn)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def wait_for(
    url: str, process: subprocess.Popen[bytes], log: Path, *, headers: dict[str, str], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            httpx.get(url, headers=headers, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-4000:]}")


def run(command: str, *, env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            ["bash", "-c", command], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=180
        )
    assert result.returncode == 0, f"{command} failed:\n{log.read_text(errors='replace')[-4000:]}"


# --- a browser's cookies over plain HTTP to an app that believes it is behind TLS ----------------


class Browser:
    """Requests as the platform's router forwards them: the public Host, X-Forwarded-Proto: https.

    The app marks its cookies Secure (it believes the browser used HTTPS), which httpx will not
    send back over plain HTTP; this keeps them by hand.
    """

    def __init__(self, base_url: str, host: str) -> None:
        self.base_url = base_url
        self.origin = f"https://{host}"
        self.headers = {"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = httpx.request(method, self.base_url + path, headers=headers, timeout=20, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            self.set_cookie_headers.append(header)
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def sign_in(self, key: str = "teamadmin") -> httpx.Response:
        form = self.request("GET", "/signin/?method=token")
        assert form.status_code == 200, form.text[:2000]
        token = CSRF_INPUT.search(form.text)
        assert token, "the sign-in form carries a CSRF token"
        return self.request(
            "POST",
            "/signin/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "method": "token",
                "api_token": demo(key).api_token,
                "next": "",
            },
            headers={"Origin": self.origin, "Referer": f"{self.origin}/signin/"},
        )


# --- make serve from the runtime lock alone ------------------------------------------------------


def test_the_runtime_lock_holds_no_test_tool_and_no_sandbox_package(runtime_venv):
    assert importable(runtime_venv, NOT_IN_PRODUCTION) == []
    assert importable(runtime_venv, ["django", "gunicorn", "redis", "sentry_sdk", "babel"]) == [
        "django",
        "gunicorn",
        "redis",
        "sentry_sdk",
        "babel",
    ]


def test_make_serve_runs_from_the_runtime_lock_alone(runtime_venv, sandbox_process, tmp_path):
    port = stack.free_port()
    env = stack.dashboard_env(tmp_path, stack.sandbox_url(sandbox_process), stack.Secrets())
    env["PATH"] = f"{runtime_venv / 'bin'}:{env['PATH']}"
    log = tmp_path / "make-serve.log"
    process = spawn(["make", "--no-print-directory", "serve", f"VENV={runtime_venv}", f"PORT={port}"], env=env, log=log)
    try:
        base = f"http://127.0.0.1:{port}"
        # gunicorn trusts X-Forwarded-Proto from 127.0.0.1, as `make serve` configures it behind a local proxy.
        proxied = {"X-Forwarded-Proto": "https"}
        wait_for(f"{base}/healthz", process, log, headers=proxied)

        health = httpx.get(f"{base}/healthz", headers=proxied)
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        ready = httpx.get(f"{base}/readyz", headers=proxied)
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ok", "checks": {"regional": True, "auth": True}}
        # Translations compiled by the runtime tools alone (pybabel from babel), static files collected.
        signin = httpx.get(f"{base}/signin/", headers={**proxied, "Accept-Language": "fr"})
        assert signin.status_code == 200
        assert "Se connecter" in signin.text
        assert "Sign in</h1>" not in signin.text
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', signin.text)
        assert stylesheet, signin.text[:2000]
        assert httpx.get(base + stylesheet.group(1), headers=proxied).status_code == 200
    finally:
        stop(process)
    output = log.read_text(errors="replace")
    assert "requirements-dev.lock" not in output
    assert "requirements-sandbox.lock" not in output


# --- the Procfile with scalingo.json's environment -----------------------------------------------


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip(): command.strip() for name, command in entries.items()}


def manifest_env(platform: dict[str, str]) -> dict[str, str]:
    """scalingo.json's env as the platform creates it: values (with $VAR aliases resolved against what
    the platform and its addons set) and generated secrets (test values here)."""
    declared = json.loads((ROOT / "scalingo.json").read_text())["env"]
    env: dict[str, str] = {}
    for name, spec in declared.items():
        if "generator" in spec:
            assert spec["generator"] == "secret", name
            env[name] = secrets.token_hex(32)
        else:
            value = spec["value"]
            env[name] = platform[value[1:]] if value.startswith("$") else value
    return env


def test_the_manifest_declares_the_redis_addon_and_the_required_environment():
    manifest = json.loads((ROOT / "scalingo.json").read_text())
    assert [addon["plan"].split(":")[0] for addon in manifest["addons"]] == ["redis"]
    env = manifest["env"]
    assert env["REDIS_URL"] == {"description": env["REDIS_URL"]["description"], "value": "$SCALINGO_REDIS_URL"}
    assert env["DJANGO_SECRET_KEY"]["generator"] == "secret"
    assert env["SESSION_ENCRYPTION_KEYS"]["generator"] == "secret"
    assert env["DJANGO_SETTINGS_MODULE"]["value"] == "dashboard.settings.production"
    assert env["SCALINGO_API_URL"]["value"] == "https://api.osc-fr1.scalingo.com"
    assert (ROOT / ".python-version").read_text().strip() == "3.11"
    # The buildpack installs requirements.txt: it must be the runtime lock, pinned, without index URLs.
    lock = (ROOT / "requirements.txt").read_text()
    assert "://" not in lock
    pins = [line for line in lock.splitlines() if line and not line.startswith(" ") and not line.startswith("#")]
    assert all("==" in line for line in pins), pins
    assert "gunicorn==" in lock
    assert "pytest" not in lock
    assert "pyotp" not in lock


@pytest.fixture
def redis_addon(tmp_path) -> Iterator[stack.Service]:
    service = stack.start_redis(tmp_path / "redis")
    yield service
    service.stop()


def test_the_procfile_web_line_serves_and_signs_in_with_the_manifest_environment(
    runtime_venv, sandbox_process, redis_addon, tmp_path
):
    processes = procfile()
    assert set(processes) == {"web", "postdeploy"}
    assert processes["web"].startswith("gunicorn dashboard.wsgi ")
    assert "$PORT" in processes["web"]

    port = stack.free_port()
    redis_url = f"redis://127.0.0.1:{redis_addon.port}/2"
    env = manifest_env({"SCALINGO_REDIS_URL": redis_url})
    assert env["SCALINGO_AUTH_URL"] == "https://auth.scalingo.com"
    # The platform is the sandbox here.
    sandbox = stack.sandbox_url(sandbox_process)
    env.update(
        SCALINGO_AUTH_URL=f"{sandbox}/auth",
        SCALINGO_API_URL=f"{sandbox}/api/osc-fr1",
        SCALINGO_BILLING_URL=f"{sandbox}/billing",
    )
    # What the platform adds: the port, and the app's directory for its files.
    env = venv_env(runtime_venv, **env, PORT=str(port), VAR_DIR=str(tmp_path), CONTAINER_VERSION="0123abc")
    log = tmp_path / "scalingo.log"

    # The build, as the buildpack runs it, then the postdeploy hook.
    run("python manage.py collectstatic --noinput", env=env, log=log)
    run("bin/post_compile", env=env, log=log)
    run(processes["postdeploy"], env=env, log=log)

    web = spawn(["bash", "-c", processes["web"]], env=env, log=log)
    try:
        browser = Browser(f"http://127.0.0.1:{port}", "my-dashboard.osc-fr1.scalingo.io")
        wait_for(f"http://127.0.0.1:{port}/healthz", web, log, headers=browser.headers)
        assert browser.request("GET", "/readyz").json() == {
            "status": "ok",
            "checks": {"regional": True, "auth": True, "cache": True},
        }
        # Plain HTTP is sent to HTTPS, as the router's X-Forwarded-Proto says.
        plain = httpx.get(f"http://127.0.0.1:{port}/signin/", headers={"Host": "my-dashboard.osc-fr1.scalingo.io"})
        assert plain.status_code == 301
        assert plain.headers["location"] == "https://my-dashboard.osc-fr1.scalingo.io/signin/"

        signed_in = browser.sign_in()
        assert signed_in.status_code == 302, signed_in.text[:2000]
        assert signed_in.headers["location"] == "/"
        overview = browser.request("GET", "/")
        assert overview.status_code == 200
        assert "demo-teamadmin" in overview.text
        session_cookie = next(h for h in browser.set_cookie_headers if h.startswith("dashboard_session="))
        assert "Secure" in session_cookie
        assert "HttpOnly" in session_cookie
    finally:
        stop(web)

    # Sessions live in the Redis addon, not on the container's disk.
    keys = redis.Redis.from_url(redis_url).keys("dashboard:*")
    assert any(b"django.contrib.sessions.cache" in key for key in keys), keys
    # gunicorn ran with the Procfile's options.
    assert f"Listening at: http://0.0.0.0:{port}" in log.read_text(errors="replace")


# --- the Dockerfile's command and health check, with compose.yaml's nginx in front ---------------


def dockerfile() -> tuple[dict[str, str], list[str], list[str]]:
    """ENV, CMD and HEALTHCHECK's command of the Dockerfile."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    cmd: list[str] = []
    healthcheck: list[str] = []
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(dict(item.split("=", 1) for item in shlex.split(line[4:])))
        elif line.startswith("CMD "):
            cmd = json.loads(line[4:])
        elif line.startswith("HEALTHCHECK "):
            healthcheck = json.loads(line.split(" CMD ", 1)[1])
    return env, cmd, healthcheck


def compose_nginx_conf(workdir: Path, *, web_port: int, listen_port: int) -> Path:
    text = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    assert "server web:8000 " in text
    assert "listen 80;" in text
    text = (
        text.replace("server web:8000 ", f"server 127.0.0.1:{web_port} ")
        .replace("listen 80;", f"listen 127.0.0.1:{listen_port};")
        .replace("/dev/stdout", str(workdir / "access.log"))
    )
    temp = "\n".join(
        f"    {kind}_temp_path {workdir / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"{user}pid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\n{temp}\n{text}\n}}\n"
    )
    return conf


def test_the_dockerfile_command_serves_passes_its_healthcheck_behind_the_compose_nginx(
    runtime_venv, sandbox_process, redis_addon, tmp_path
):
    image_env, cmd, healthcheck = dockerfile()
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("# ") and "\nFROM python:3.13-slim\n" in text
    assert "RUN pip install -r requirements.txt\n" in text
    assert "requirements-dev.lock" not in text and "requirements-sandbox.lock" not in text
    assert "\nUSER dashboard\n" in text
    assert image_env["DJANGO_SETTINGS_MODULE"] == "dashboard.settings.production"
    assert cmd[:2] == ["gunicorn", "dashboard.wsgi"]
    assert healthcheck == ["python", "deploy/healthcheck.py"]

    port = stack.free_port()
    sandbox = stack.sandbox_url(sandbox_process)
    # compose.yaml's environment for `web`, with its defaults (plain HTTP behind nginx on localhost).
    compose = (ROOT / "compose.yaml").read_text()
    for expected in ("REDIS_URL: redis://redis:6379/0", "SECURE_SSL_REDIRECT: ${SECURE_SSL_REDIRECT:-false}"):
        assert expected in compose
    env = venv_env(
        runtime_venv,
        **{**image_env, "PORT": str(port), "VAR_DIR": str(tmp_path)},
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        SESSION_ENCRYPTION_KEYS=secrets.token_hex(32),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        SCALINGO_AUTH_URL=f"{sandbox}/auth",
        SCALINGO_API_URL=f"{sandbox}/api/osc-fr1",
        SCALINGO_BILLING_URL=f"{sandbox}/billing",
        REDIS_URL=f"redis://127.0.0.1:{redis_addon.port}/4",
        TRUSTED_PROXY_COUNT="1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    log = tmp_path / "container.log"
    run("python manage.py collectstatic --noinput -v0 && bin/post_compile", env=env, log=log)

    web = spawn(cmd, env=env, log=log)
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", web, log, headers={"Host": "localhost"})
        check = subprocess.run(healthcheck, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr

        nginx_port = stack.free_port()
        conf = compose_nginx_conf(tmp_path, web_port=port, listen_port=nginx_port)
        nginx = spawn(
            [stack.require_binary("nginx"), "-c", str(conf), "-g", "daemon off;"], env=stack.clean_env(), log=log
        )
        wait_for(f"http://127.0.0.1:{nginx_port}/healthz", nginx, log, headers={})
        with httpx.Client(base_url=f"http://localhost:{nginx_port}", timeout=20) as client:
            form = client.get("/signin/", params={"method": "token"})
            assert form.status_code == 200
            token = CSRF_INPUT.search(form.text)
            assert token
            signed_in = client.post(
                "/signin/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "method": "token",
                    "api_token": demo("teamadmin").api_token,
                },
                headers={"Origin": f"http://localhost:{nginx_port}"},
            )
            assert signed_in.status_code == 302, signed_in.text[:2000]
            overview = client.get("/")
            assert overview.status_code == 200
            assert "demo-teamadmin" in overview.text
            assert overview.headers["x-request-id"]
    finally:
        if nginx is not None and nginx.poll() is None:
            os.killpg(nginx.pid, signal.SIGQUIT)
            nginx.wait(timeout=10)
        stop(web)

    # Once the server is gone, the health check says so.
    check = subprocess.run(healthcheck, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert check.returncode == 1
    assert "/healthz failed" in check.stderr


def pins(name: str) -> dict[str, str]:
    """``package: version`` of a lock, markers aside."""
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            assert "==" in line, (name, line)
            package, version = line.split(";")[0].strip().split("==")
            found[package] = version
    return found


def test_the_three_locks_agree_and_name_no_index():
    runtime, sandbox, dev = pins("requirements.txt"), pins("requirements-sandbox.lock"), pins("requirements-dev.lock")
    for name in ("requirements.txt", "requirements-sandbox.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text()
        assert "://" not in text
        assert not re.search(r"^-", text, re.M), name
    # Each lock adds to the one before it, with the same versions.
    assert runtime.items() <= sandbox.items()
    assert sandbox.items() <= dev.items()
    assert set(sandbox) - set(runtime) == {"defusedxml", "fonttools", "fpdf2", "pillow", "pyotp"}
    assert {"pytest", "playwright", "mypy", "time-machine", "sentry-sdk"} <= set(dev)
    assert "sentry-sdk" in runtime
