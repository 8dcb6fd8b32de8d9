"""Invoice PDFs from the sandbox's file host (another origin than the API): redirects, the bearer,
SSRF refusals, the deadline and the per-process cap on downloads (issue 11 #4, #5)."""

from __future__ import annotations

import io
import logging
import threading
import time
import zipfile

import httpx
import pytest

from dashboard.upstream import downloads

FILE = "/files/invoices/:id.pdf"
SIGNED = "/files/signed/invoices/:id.pdf"
API_DOWNLOAD = "/v1/account/invoices/:id/download"


@pytest.fixture(autouse=True)
def _fresh_gate(monkeypatch):
    monkeypatch.setattr(downloads, "_gate", downloads._Gate())


@pytest.fixture
def ordinary(signed_in_as, sandbox_invoices):
    client = signed_in_as("ordinary")
    return client, sandbox_invoices("ordinary")[0]


def _http_client(client, upstream) -> httpx.Client:
    """A real HTTP client on the live server with the test client's session (to see bytes arrive)."""
    return httpx.Client(
        base_url=upstream.url, cookies={"dashboard_session": client.cookies["dashboard_session"].value}, timeout=20
    )


def test_it_fetches_the_pdf_from_the_file_host_without_the_bearer(ordinary, upstream, caplog):
    client, invoice = ordinary
    with caplog.at_level(logging.INFO, logger="dashboard.upstream.downloads"):
        response = client.get(f"/invoices/{invoice.id}/download/")
        data = b"".join(response.streaming_content)
    assert response.status_code == 200 and data.startswith(b"%PDF-")
    assert int(response["Content-Length"]) == len(data)
    assert response["X-Accel-Buffering"] == "no"
    assert [c["authorization"] for c in upstream.calls(route=FILE)] == [False]
    assert upstream.calls(route=SIGNED) == []
    assert len(upstream.calls(route=API_DOWNLOAD)) == 1
    (line,) = [r for r in caplog.records if r.name == "dashboard.upstream.downloads"]
    assert line.upstream_host.startswith("127.0.0.1:") and line.status == 200
    assert line.bytes == len(data) and line.outcome == "ok" and line.redirects == 1
    assert line.request_id == response["X-Request-ID"]


def test_it_follows_the_file_hosts_redirect_to_a_signed_url(ordinary, upstream, sandbox_behaviour, caplog):
    sandbox_behaviour("download-signed-url")
    client, invoice = ordinary
    with caplog.at_level(logging.INFO, logger="dashboard.upstream.downloads"):
        response = client.get(f"/invoices/{invoice.id}/download/")
        data = b"".join(response.streaming_content)
    assert response.status_code == 200 and data.startswith(b"%PDF-")
    assert [(c["status"], c["authorization"]) for c in upstream.calls(route=FILE)] == [(302, False)]
    # The signed URL answers 400 to a request that carries a bearer: it got none.
    assert [(c["status"], c["authorization"]) for c in upstream.calls(route=SIGNED)] == [(200, False)]
    (line,) = [r for r in caplog.records if r.name == "dashboard.upstream.downloads"]
    assert line.redirects == 2 and line.outcome == "ok"
    # The sandbox's own request lines (it is served by the same test server) are not the dashboard's.
    dashboards = [r for r in caplog.records if not str(getattr(r, "path", "")).startswith("/sandbox/")]
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in dashboards)
    assert "Signature" not in logged and "Expires" not in logged and "/sandbox/files" not in logged


def test_it_refuses_a_redirect_to_the_metadata_address(ordinary, upstream, sandbox_behaviour):
    sandbox_behaviour("download-redirect-forbidden")
    client, invoice = ordinary
    started = time.monotonic()
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert time.monotonic() - started < 2  # refused, not a connection left to time out
    body = response.content.decode()
    assert response.status_code == 502
    assert "not allowed to contact, so nothing was fetched" in body
    assert "169.254" not in body and "%PDF" not in body
    assert [c["status"] for c in upstream.calls(route=FILE)] == [302]


def test_it_refuses_a_redirect_to_the_metadata_address_in_french(ordinary, sandbox_behaviour):
    sandbox_behaviour("download-redirect-forbidden")
    client, invoice = ordinary
    client.cookies["dashboard_language"] = "fr"
    body = client.get(f"/invoices/{invoice.id}/download/").content.decode()
    assert "n’est pas autorisé à contacter" in body
    assert "not allowed to contact" not in body


def test_it_stops_after_three_redirects(ordinary, upstream, sandbox_behaviour):
    sandbox_behaviour("download-redirect-loop")
    client, invoice = ordinary
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert response.status_code == 502
    assert "too many redirects" in response.content.decode()
    # The API's 302, then the file host's two: the third redirect from it is not followed.
    assert len(upstream.calls(route=API_DOWNLOAD)) == 1
    assert [c["status"] for c in upstream.calls(route=FILE)] == [302, 302, 302]


def test_without_the_loop_the_same_download_works(ordinary, upstream):
    client, invoice = ordinary
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert [c["status"] for c in upstream.calls(route=FILE)] == [200]


def test_it_refuses_a_listed_host_on_another_port_before_fetching(ordinary, upstream, settings):
    client, invoice = ordinary
    port = int(upstream.url.rsplit(":", 1)[1])
    settings.SCALINGO_DOWNLOAD_HOSTS = [f"http://127.0.0.1:{port + 1}"]
    response = client.get(f"/invoices/{invoice.id}/download/", HTTP_HX_REQUEST="true")
    assert response.status_code == 502
    assert "not allowed to contact" in response.content.decode() and "<html" not in response.content.decode()
    assert upstream.calls(route=FILE) == []


def test_it_refuses_http_to_a_host_listed_without_http(ordinary, upstream, settings):
    client, invoice = ordinary
    port = int(upstream.url.rsplit(":", 1)[1])
    settings.SCALINGO_DOWNLOAD_HOSTS = [f"127.0.0.1:{port}"]  # no scheme: https only
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert response.status_code == 502
    assert "not allowed to contact" in response.content.decode()
    assert upstream.calls(route=FILE) == []


def test_the_zip_lists_refused_pdfs_as_missing(signed_in_as, sandbox_invoices, sandbox_behaviour, upstream):
    client = signed_in_as("ordinary")  # first: the sandbox's URLs (and behaviours) load on a request
    sandbox_behaviour("download-redirect-forbidden")
    invoices = sandbox_invoices("ordinary")
    year = invoices[0].billing_month.year
    response = client.get(f"/invoices/archive/{year}.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["MISSING.txt"]
    assert invoices[0].invoice_number in archive.read("MISSING.txt").decode()


def test_the_zip_follows_the_signed_url(signed_in_as, sandbox_invoices, sandbox_behaviour, upstream, caplog):
    client = signed_in_as("ordinary")  # first: the sandbox's URLs (and behaviours) load on a request
    sandbox_behaviour("download-signed-url")
    invoices = sandbox_invoices("ordinary")
    year = invoices[0].billing_month.year
    of_year = [i for i in invoices if i.billing_month.year == year]
    with caplog.at_level(logging.INFO, logger="dashboard.upstream.downloads"):
        response = client.get(f"/invoices/archive/{year}.zip")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    # Built after the view returned, yet logged under the request's id.
    lines = [r for r in caplog.records if r.name == "dashboard.upstream.downloads"]
    assert len(lines) == len(of_year)
    assert {r.request_id for r in lines} == {response["X-Request-ID"]}
    assert sorted(archive.namelist()) == sorted(f"invoice-{i.invoice_number}.pdf" for i in of_year)
    assert all(archive.read(n).startswith(b"%PDF-") for n in archive.namelist())
    assert len(upstream.calls(route=SIGNED)) == len(of_year)


def test_a_stuck_file_host_gets_a_clear_answer_at_the_deadline(ordinary, upstream, sandbox_behaviour, settings):
    sandbox_behaviour("download-trickle")
    settings.SANDBOX_TRICKLE_SECONDS = 4.0  # nothing at all for 4 s, not even headers
    settings.DOWNLOAD_DEADLINE_SECONDS = 1.0
    client, invoice = ordinary
    client.get(f"/invoices/{invoice.id}/")  # the invoice read is not part of the download
    started = time.monotonic()
    response = client.get(f"/invoices/{invoice.id}/download/")
    elapsed = time.monotonic() - started
    body = response.content.decode()
    assert response.status_code == 504
    assert "too slowly, so the download was stopped after 1 second." in body
    assert 1.0 <= elapsed < 1.8, elapsed  # the deadline, not the 3 s read timeout


def test_a_trickling_file_host_is_cut_off_at_the_deadline(ordinary, upstream, sandbox_behaviour, settings, caplog):
    """The first bytes reach the person as they come; the whole download ends at the deadline."""
    sandbox_behaviour("download-trickle")
    settings.SANDBOX_TRICKLE_SECONDS = 0.3  # 16 bytes every 0.3 s: each read is quick, the whole slow
    settings.DOWNLOAD_DEADLINE_SECONDS = 2.0
    client, invoice = ordinary
    received = b""
    with caplog.at_level(logging.INFO, logger="dashboard.upstream.downloads"), _http_client(client, upstream) as http:
        started = time.monotonic()
        with http.stream("GET", f"/invoices/{invoice.id}/download/", timeout=1.5) as response:
            assert response.status_code == 200
            first_byte_after = None
            with pytest.raises(httpx.HTTPError):  # cut off: fewer bytes than announced
                for chunk in response.iter_raw():
                    if first_byte_after is None:
                        first_byte_after = time.monotonic() - started
                    received += chunk
        _wait_for(lambda: downloads.downloads_running() == 0)
    assert received.startswith(b"%PDF-")
    assert len(received) < int(response.headers["Content-Length"])
    assert first_byte_after < 1.0, first_byte_after
    (line,) = [r for r in caplog.records if r.name == "dashboard.upstream.downloads"]
    assert line.outcome == "deadline" and line.bytes == len(received)
    assert 2000 <= line.duration_ms < 2400, line.duration_ms


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_pages_answer_while_the_download_cap_is_full(ordinary, upstream, sandbox_behaviour, settings, sandbox_invoices):
    sandbox_behaviour("download-trickle")
    settings.SANDBOX_TRICKLE_SECONDS = 0.5
    settings.DOWNLOAD_DEADLINE_SECONDS = 20.0
    settings.DOWNLOAD_CONCURRENCY = 2
    client, invoice = ordinary
    stop = threading.Event()

    def slow_download() -> None:
        with _http_client(client, upstream) as http, http.stream("GET", f"/invoices/{invoice.id}/download/") as r:
            for _ in r.iter_raw():
                if stop.is_set():
                    return

    workers = [threading.Thread(target=slow_download) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        _wait_for(lambda: downloads.downloads_running() == 2)
        with _http_client(client, upstream) as http:
            started = time.monotonic()
            health = http.get("/healthz")
            health_seconds = time.monotonic() - started
            page = http.get("/invoices/")
            third = http.get(f"/invoices/{invoice.id}/download/")
            year = invoice.billing_month.year
            archive = http.get(f"/invoices/archive/{year}.zip")
            htmx = http.get(f"/invoices/{invoice.id}/download/", headers={"HX-Request": "true"})
        assert health.status_code == 200 and health_seconds < 0.5, health_seconds
        assert page.status_code == 200 and "Invoices" in page.text
        for busy in (third, archive):
            assert busy.status_code == 503
            assert busy.headers["Retry-After"] == "10"
            assert "Too many downloads are running on this server right now" in busy.text
            assert "%PDF" not in busy.text
        assert htmx.status_code == 503 and "<html" not in htmx.text and "Too many downloads" in htmx.text
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
    # The people who went away freed their slots: the next download runs.
    _wait_for(lambda: downloads.downloads_running() == 0)
    from sandbox import behaviours

    behaviours.disable("download-trickle")
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_zip_from_a_trickling_file_host_ends_at_the_archive_deadline(
    signed_in_as, sandbox_invoices, sandbox_behaviour, upstream, settings
):
    client = signed_in_as("teamadmin")
    sandbox_behaviour("download-trickle")
    settings.SANDBOX_TRICKLE_SECONDS = 0.3
    settings.DOWNLOAD_DEADLINE_SECONDS = 0.5  # each PDF: 0.5 s; the archive: 4 × 0.5 = 2 s
    invoices = sandbox_invoices("teamadmin")
    year = invoices[0].billing_month.year - 1
    of_year = [i for i in invoices if i.billing_month.year == year]
    assert len(of_year) == 12
    started = time.monotonic()
    response = client.get(f"/invoices/archive/{year}.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    elapsed = time.monotonic() - started
    assert archive.namelist() == ["MISSING.txt"]
    listed = archive.read("MISSING.txt").decode()
    assert all(i.invoice_number in listed for i in of_year)
    assert 2.0 <= elapsed < 3.0, elapsed
    # Three or four PDFs were tried (each cut off at 0.5 s, plus the API's 302); the rest were not
    # asked for.
    assert 3 <= len(upstream.calls(route=FILE)) <= 4


def test_a_stuck_file_host_is_explained_in_french(ordinary, upstream, sandbox_behaviour, settings):
    sandbox_behaviour("download-trickle")
    settings.SANDBOX_TRICKLE_SECONDS = 3.0
    settings.DOWNLOAD_DEADLINE_SECONDS = 1.0
    client, invoice = ordinary
    client.cookies["dashboard_language"] = "fr"
    body = client.get(f"/invoices/{invoice.id}/download/").content.decode()
    assert "trop lentement : le téléchargement a été arrêté après 1 seconde." in body
    assert "too slowly" not in body


def test_the_busy_answer_is_in_french(ordinary, settings):
    settings.DOWNLOAD_CONCURRENCY = 1
    client, invoice = ordinary
    client.cookies["dashboard_language"] = "fr"
    held = downloads.download_slot()
    try:
        response = client.get(f"/invoices/{invoice.id}/download/")
    finally:
        held.release()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Trop de téléchargements sont en cours sur ce serveur." in body
    assert "Too many downloads" not in body
