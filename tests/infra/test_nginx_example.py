"""deploy/nginx.conf.example is valid nginx, in both variants (root and sub-path)."""

from __future__ import annotations

import re
import subprocess

import pytest

from bench import stack

pytestmark = pytest.mark.infra

EXAMPLE = stack.ROOT / "deploy" / "nginx.conf.example"
PARAMS_MARKER = "# /etc/nginx/dashboard_proxy_params:"


def proxy_params(text: str) -> str:
    block = text.split(PARAMS_MARKER, 1)[1]
    lines = [line.removeprefix("#").removeprefix("     ") for line in block.splitlines() if line.startswith("#")]
    return "\n".join(lines)


def subpath_variant(text: str) -> str:
    """Variant 2 uncommented, variant 1 removed."""
    text = re.sub(r"\n    location / \{.*?\n    \}\n", "\n", text, count=1, flags=re.S)
    start = text.index("    # location = /dashboard")
    end = text.index("    # }", start) + len("    # }")
    uncommented = "\n".join(line.replace("    # ", "    ", 1) for line in text[start:end].splitlines())
    return text[:start] + uncommented + text[end:]


@pytest.mark.parametrize("variant", ["root", "subpath"])
def test_the_example_configuration_is_valid(tmp_path, variant):
    nginx = stack.require_binary("nginx")
    cert, key = stack.self_signed_certificate(tmp_path)
    text = EXAMPLE.read_text()
    (tmp_path / "proxy_params").write_text(proxy_params(text))
    if variant == "subpath":
        text = subpath_variant(text)
        assert "location /dashboard/ {" in text
        assert "location / {" not in text
    text = (
        text.replace("/etc/nginx/dashboard_proxy_params", str(tmp_path / "proxy_params"))
        .replace("/etc/letsencrypt/live/dashboard.example.com/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/dashboard.example.com/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    temp_paths = "\n".join(f"    {kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\nhttp {{\n{temp_paths}\n{text}\n}}\n")
    result = subprocess.run(
        [nginx, "-t", "-q", "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr + conf.read_text()
