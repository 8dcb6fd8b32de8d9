"""Local processes for the infrastructure tests and the bench: the sandbox, the dashboard under
gunicorn with production settings, nginx in front, and redis-server.

Everything binds 127.0.0.1 on a free port, keeps its files (logs, databases, static files, nginx
temp paths) in a directory of its own, and is stopped by its PID. A process that does not come up
raises ``StartError`` with the end of its log, so a failure says why.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOSTS = "127.0.0.1,localhost"


class StartError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_binary(name: str) -> str:
    """The path of a Debian binary the stack needs (``make test`` installs them)."""
    found = shutil.which(name) or next(
        (str(Path(d) / name) for d in ("/usr/sbin", "/usr/bin") if (Path(d) / name).exists()), None
    )
    if not found:
        raise StartError(f"{name} is not installed: run `make system-test-deps` (apt-get install {name}).")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """A minimal environment: nothing leaks in from the caller's (pytest sets Django variables)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({key: value for key, value in extra.items() if value is not None})
    return env


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    port: int
    stop_signal: int = signal.SIGTERM
    extra_logs: list[Path] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 8000) -> str:
        parts = []
        for path in [self.log_path, *self.extra_logs]:
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            parts.append(f"--- {path.name} ---\n{text[-chars:]}")
        return "\n".join(parts)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _spawn(name: str, argv: list[str], *, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    log = log_path.open("ab")
    try:
        return subprocess.Popen(  # noqa: S603 - argv we built, no shell
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    finally:
        log.close()


def wait_for_port(service: Service, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise StartError(f"{service.name} exited with {service.process.returncode}:\n{service.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", service.port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    service.stop()
    raise StartError(f"{service.name} did not listen on {service.port} within {timeout:.0f} s:\n{service.log_tail()}")


def wait_for_http(service: Service, url: str, timeout: float = 30) -> None:
    """Until the URL answers at all (any status: the server is up)."""
    wait_for_port(service, timeout)
    deadline = time.monotonic() + timeout
    context = ssl._create_unverified_context()  # noqa: S323 - our own self-signed loopback certificate
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise StartError(f"{service.name} exited with {service.process.returncode}:\n{service.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5, context=context):  # noqa: S310 - loopback URL we built
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    service.stop()
    raise StartError(f"{service.name} did not answer {url} within {timeout:.0f} s:\n{service.log_tail()}")


def manage(args: list[str], *, env: dict[str, str], log_path: Path) -> None:
    with log_path.open("ab") as log:
        result = subprocess.run(  # noqa: S603 - argv we built
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        raise StartError(f"manage.py {' '.join(args)} failed:\n{log_path.read_text(errors='replace')[-6000:]}")


# --- the sandbox --------------------------------------------------------------------------------


def start_sandbox(
    workdir: Path, *, latency_ms: int = 0, rate_limit: int = 0, threads: int = 16, hang_seconds: float = 30
) -> Service:
    """The platform API imitation, seeded, under gunicorn (one process, so fault settings are global)."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = clean_env(
        DJANGO_SETTINGS_MODULE="dashboard.settings.development",
        DJANGO_DEBUG="false",
        SANDBOX_ENABLED="true",
        VAR_DIR=str(workdir),
        DATABASE_PATH=str(workdir / "sandbox.sqlite3"),
        SANDBOX_RATE_LIMIT=str(rate_limit),
        SANDBOX_LATENCY_MS=str(latency_ms),
        SANDBOX_HANG_SECONDS=str(hang_seconds),
        LOG_LEVEL="WARNING",
        LOG_FORMAT="text",
    )
    log_path = workdir / "sandbox.log"
    manage(["migrate", "--noinput", "-v0"], env=env, log_path=log_path)
    manage(["sandbox_seed"], env=env, log_path=log_path)
    argv = [
        str(BIN / "gunicorn"),
        "dashboard.wsgi",
        f"--bind=127.0.0.1:{port}",
        "--workers=1",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=120",
        "--no-control-socket",
        "--log-level=warning",
    ]
    service = Service("sandbox", _spawn("sandbox", argv, env=env, log_path=log_path), log_path, port)
    wait_for_http(service, f"http://127.0.0.1:{port}/sandbox/auth/v1/regions")
    return service


def sandbox_url(sandbox: Service) -> str:
    return f"http://127.0.0.1:{sandbox.port}/sandbox"


# --- the dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secrets:
    """What every instance of one site shares: signing key and session encryption key."""

    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(64))
    fernet_key: str = field(default_factory=lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())


def dashboard_env(
    workdir: Path,
    upstream: str,
    site_secrets: Secrets,
    *,
    script_name: str = "",
    redis_url: str = "",
    behind_tls_proxy: bool = True,
    **extra: str,
) -> dict[str, str]:
    """Production settings, configured only through the environment, as ``make serve`` runs them."""
    env = clean_env(
        DJANGO_SETTINGS_MODULE="dashboard.settings.production",
        DJANGO_SECRET_KEY=site_secrets.secret_key,
        DJANGO_ALLOWED_HOSTS=HOSTS,
        SESSION_ENCRYPTION_KEYS=site_secrets.fernet_key,
        SCALINGO_AUTH_URL=f"{upstream}/auth",
        SCALINGO_API_URL=f"{upstream}/api/osc-fr1",
        SCALINGO_BILLING_URL=f"{upstream}/billing",
        SANDBOX_ENABLED="false",
        VAR_DIR=str(workdir),
        DATABASE_PATH=str(workdir / "dashboard.sqlite3"),
        SCRIPT_NAME=script_name,
        REDIS_URL=redis_url,
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    if behind_tls_proxy:
        env.update(TRUST_X_FORWARDED_PROTO="true", USE_X_FORWARDED_HOST="true", TRUSTED_PROXY_COUNT="1")
    else:
        # Plain HTTP on loopback with nothing in front (the bench): no HTTPS redirect, no secure cookies.
        env.update(SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")
    env.update(extra)
    return env


def prepare_dashboard(env: dict[str, str], workdir: Path) -> None:
    """``collectstatic`` and ``migrate`` into the instance's own VAR_DIR, as ``make serve`` does."""
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / "prepare.log"
    manage(["collectstatic", "--noinput", "-v0"], env=env, log_path=log_path)
    manage(["migrate", "--noinput", "-v0"], env=env, log_path=log_path)


def start_dashboard(
    env: dict[str, str], workdir: Path, *, name: str = "dashboard", workers: int = 1, threads: int = 4
) -> Service:
    port = free_port()
    log_path = workdir / f"{name}.log"
    env = {"GUNICORN_THREADS": str(threads), **env}  # as the Procfile does: settings size downloads by it
    argv = [
        str(BIN / "gunicorn"),
        "dashboard.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=30",
        "--graceful-timeout=5",
        "--no-control-socket",
        # Django itself reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER); gunicorn must not.
        "--forwarded-allow-ips=",
        "--log-level=warning",
    ]
    service = Service(name, _spawn(name, argv, env=env, log_path=log_path), log_path, port)
    prefix = env.get("SCRIPT_NAME", "")
    wait_for_http(service, f"http://127.0.0.1:{port}{prefix}/healthz")
    return service


# --- nginx --------------------------------------------------------------------------------------


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made with ``cryptography`` (no openssl binary)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@dataclass
class Nginx(Service):
    http_port: int = 0
    cert_path: Path | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_path))


_PROXY_HEADERS = """
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # $http_host keeps the port, which these loopback tests need; on 443 use $host.
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_read_timeout 30s;
            add_header X-Upstream $upstream_addr always;"""


def nginx_conf(workdir: Path, *, upstreams: list[int], https_port: int, http_port: int, prefix: str) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in upstreams)
    temp = "\n".join(
        f"    {kind}_temp_path {workdir / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    location = f"{prefix}/" if prefix else "/"
    redirect = f"        location = {prefix} {{ return 301 {prefix}/; }}\n" if prefix else ""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    access_log {workdir / "access.log"};
{temp}
    gzip on;
    gzip_comp_level 5;
    gzip_min_length 256;
    gzip_proxied any;
    gzip_vary on;
    gzip_types text/css application/javascript application/json image/svg+xml text/plain text/csv;
    upstream dashboard {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{https_port} ssl;
        listen 127.0.0.1:{http_port};
        ssl_certificate {workdir / "cert.pem"};
        ssl_certificate_key {workdir / "key.pem"};
{redirect}        location {location} {{
            # No URI after the upstream name: the full path (with any sub-path) goes to gunicorn,
            # which strips SCRIPT_NAME itself.
            proxy_pass http://dashboard;{_PROXY_HEADERS}
        }}
    }}
}}
"""


def start_nginx(workdir: Path, *, upstreams: list[int], prefix: str = "") -> Nginx:
    binary = require_binary("nginx")
    workdir.mkdir(parents=True, exist_ok=True)
    cert_path, _ = self_signed_certificate(workdir)
    https_port, http_port = free_port(), free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_conf(workdir, upstreams=upstreams, https_port=https_port, http_port=http_port, prefix=prefix))
    log_path = workdir / "nginx.out"
    argv = [binary, "-c", str(conf), "-e", str(workdir / "error.log"), "-g", "daemon off;"]
    process = _spawn("nginx", argv, env=clean_env(), log_path=log_path)
    service = Nginx(
        "nginx",
        process,
        log_path,
        https_port,
        stop_signal=signal.SIGQUIT,
        extra_logs=[workdir / "error.log", workdir / "access.log"],
        http_port=http_port,
        cert_path=cert_path,
    )
    wait_for_port(service)
    return service


# --- redis --------------------------------------------------------------------------------------


def start_redis(workdir: Path) -> Service:
    binary = require_binary("redis-server")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = workdir / "redis.log"
    argv = [
        binary,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
        "--daemonize",
        "no",
    ]
    service = Service("redis", _spawn("redis", argv, env=clean_env(), log_path=log_path), log_path, port)
    wait_for_port(service)
    return service
