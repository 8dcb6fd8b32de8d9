"""The sandbox's file host: the download endpoint's 302 target, and its switchable behaviours."""

from __future__ import annotations

import httpx
import pytest

from sandbox import behaviours


@pytest.fixture(autouse=True)
def _behaviours_off():
    behaviours.reset()
    yield
    behaviours.reset()


def _pdf_url(ordinary) -> str:
    invoice = ordinary.get("/api/osc-fr1/v1/account/invoices").json()["invoices"][0]
    download = ordinary.get(f"/api/osc-fr1/v1/account/invoices/{invoice['id']}/download")
    assert download.status_code == 302
    assert download.headers["location"] == invoice["pdf_url"]
    return download.headers["location"]


def test_it_serves_the_pdf_on_the_api_origin_by_default(sandbox, ordinary):
    url = _pdf_url(ordinary)
    assert url.startswith(f"{sandbox.base_url}/sandbox/files/invoices/")
    answer = httpx.get(url)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")


def test_it_serves_the_pdf_on_another_origin_when_configured(sandbox, ordinary, settings):
    settings.SANDBOX_FILES_URL = "http://files.test:9000/sandbox/files"
    url = _pdf_url(ordinary)
    assert url.startswith("http://files.test:9000/sandbox/files/invoices/") and url.endswith(".pdf")


def test_the_signed_url_behaviour_redirects_to_a_url_that_refuses_a_bearer(sandbox, ordinary):
    behaviours.enable("download-signed-url")
    first = httpx.get(_pdf_url(ordinary))
    assert first.status_code == 302
    signed = first.headers["location"]
    assert "/sandbox/files/signed/invoices/" in signed and "Signature=" in signed and "Expires=" in signed
    assert httpx.get(signed).content.startswith(b"%PDF-")
    assert httpx.get(signed, headers={"Authorization": "Bearer x"}).status_code == 400
    assert httpx.get(signed.replace("Signature=", "Signature=0")).status_code == 403


def test_the_forbidden_redirect_behaviour_points_at_the_metadata_address(sandbox, ordinary):
    behaviours.enable("download-redirect-forbidden")
    answer = httpx.get(_pdf_url(ordinary))
    assert answer.status_code == 302
    assert answer.headers["location"].startswith("http://169.254.169.254/")


def test_the_loop_behaviour_never_ends(sandbox, ordinary):
    behaviours.enable("download-redirect-loop")
    url = _pdf_url(ordinary)
    for hop in range(1, 6):
        answer = httpx.get(url)
        assert answer.status_code == 302
        url = answer.headers["location"]
        assert url.endswith(f"?hop={hop}")


def test_the_trickle_behaviour_sends_the_same_pdf_slowly(sandbox, ordinary, settings):
    url = _pdf_url(ordinary)
    whole = httpx.get(url).content
    behaviours.enable("download-trickle")
    settings.SANDBOX_TRICKLE_SECONDS = 0.001
    with httpx.stream("GET", url) as answer:
        assert answer.headers["content-length"] == str(len(whole))
        pieces = list(answer.iter_raw())
    assert b"".join(pieces) == whole
    assert len(pieces) > 1
