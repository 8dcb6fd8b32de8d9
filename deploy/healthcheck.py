"""The container's HEALTHCHECK: GET /healthz on this container's gunicorn, with a Host the site
accepts (the first of DJANGO_ALLOWED_HOSTS), over plain HTTP (production settings exempt the probes
from the HTTPS redirect). Exit 0 when it answers 200, 1 otherwise."""

import os
import sys
import urllib.request

host = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
if host in ("", "*"):
    host = "localhost"
url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{os.environ.get('SCRIPT_NAME', '')}/healthz"
try:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}), timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as exc:
    print(f"healthcheck: {url} failed: {exc}", file=sys.stderr)
    sys.exit(1)
