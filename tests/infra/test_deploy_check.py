"""Production settings: ``check --deploy`` is clean with the required environment, and start-up
fails loudly without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench import stack

pytestmark = pytest.mark.infra

REQUIRED = [
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SECRET_KEY",
    "SCALINGO_API_URL",
    "SCALINGO_AUTH_URL",
    "SCALINGO_BILLING_URL",
    "SESSION_ENCRYPTION_KEYS",
]
SETUP = "import django; django.setup(); print('started')"


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = stack.dashboard_env(tmp_path, "https://platform.example", stack.Secrets())
    env.update(extra)
    return env


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=stack.ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("script_name", ["", "/dash"], ids=["root", "subpath"])
def test_deploy_check_reports_nothing(tmp_path, script_name):
    env = production_env(tmp_path, SCRIPT_NAME=script_name)
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (" in result.stdout


def test_deploy_check_is_clean_with_redis_and_a_proxy(tmp_path):
    env = production_env(
        tmp_path,
        REDIS_URL="redis://127.0.0.1:6399/0",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://dashboard.example.com",
    )
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_naming_every_missing_variable():
    env = stack.clean_env(DJANGO_SETTINGS_MODULE="dashboard.settings.production")
    result = run([sys.executable, "-c", SETUP], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    for name in REQUIRED:
        assert name in last_line, (name, last_line)
    assert "started" not in result.stdout


def test_it_names_the_one_variable_left_out(tmp_path):
    env = production_env(tmp_path)
    del env["SESSION_ENCRYPTION_KEYS"]
    result = run([sys.executable, "-c", SETUP], env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "SESSION_ENCRYPTION_KEYS" in last_line
    assert "DJANGO_SECRET_KEY" not in last_line


def test_it_refuses_the_sandbox_unless_forced(tmp_path):
    refused = run([sys.executable, "-c", SETUP], production_env(tmp_path, SANDBOX_ENABLED="true"))
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "SANDBOX_FORCE_IN_PRODUCTION" in refused.stderr

    forced = run(
        [sys.executable, "-c", SETUP],
        production_env(tmp_path, SANDBOX_ENABLED="true", SANDBOX_FORCE_IN_PRODUCTION="true"),
    )
    assert forced.returncode == 0, forced.stderr
    assert "started" in forced.stdout


def test_it_starts_with_the_required_environment(tmp_path):
    result = run([sys.executable, "-c", SETUP], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SCRIPT_NAME", "/dash/"),
        ("SCRIPT_NAME", "dash"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "dashboard.example.com"),
        ("TRUST_X_FORWARDED_PROTO", "yes please"),
        ("DJANGO_DEBUG", "true"),
        ("SESSION_ENCRYPTION_KEYS", "too-short-to-be-a-key"),
    ],
)
def test_it_refuses_a_misconfiguration(tmp_path, variable, value):
    result = run([sys.executable, "-c", SETUP], production_env(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


def test_a_generated_secret_works_as_a_session_encryption_key(tmp_path):
    """What a platform's secret generator gives (scalingo.json) is not a Fernet key: it is hashed
    into one, the same on every instance; a real Fernet key is kept as it is."""
    generated = "0123456789abcdef" * 4
    fernet_key = "-bH2qemRN9NRaIT3X5SOYEtsmI3NrmFvJ_VVDX1RzWY="
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(','.join(settings.SESSION_ENCRYPTION_KEYS))"
    )
    result = run(
        [sys.executable, "-c", script], production_env(tmp_path, SESSION_ENCRYPTION_KEYS=f"{generated},{fernet_key}")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{fernet_key},{fernet_key}"
