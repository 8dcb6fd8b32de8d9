"""Helpers shared by the sandbox tests (imported by name: this folder is on sys.path)."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from sandbox.demo import demo_account


class Sandbox:
    """An httpx client rooted at ``/sandbox`` with helpers for the demo accounts."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url + "/sandbox", timeout=10)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(url, **kwargs)

    def bearer(self, key: str) -> str:
        response = self.http.post("/auth/v1/tokens/exchange", auth=("", demo_account(key).api_token), json={})
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.bearer(key)}"}

    def as_user(self, key: str) -> httpx.Client:
        return httpx.Client(base_url=self.base_url + "/sandbox", timeout=10, headers=self.headers(key))


def basic(login: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}
