"""Which hosts an invoice download may reach (SSRF), checked without the network."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ImproperlyConfigured

from dashboard.env import env_host_entries, host_entry
from dashboard.upstream import downloads, errors


@pytest.fixture
def hosts(settings):
    settings.SCALINGO_AUTH_URL = "https://auth.scalingo.com"
    settings.SCALINGO_API_URL = "https://api.osc-fr1.scalingo.com"
    settings.SCALINGO_BILLING_URL = "https://cashmachine.scalingo.com"
    settings.SCALINGO_DOWNLOAD_HOSTS = ["download.scalingo.com", "files.example.com:8443", "http://127.0.0.1:8121"]
    settings.DOWNLOAD_DEADLINE_SECONDS = 5.0
    return settings


@pytest.fixture
def no_connection(monkeypatch):
    """Fails the test if anything tries to open a connection; records what was asked."""
    attempts: list[tuple] = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "https://download.scalingo.com/invoices/1/download",
        "https://download.scalingo.com:9999/any-port-when-none-is-given",
        "https://files.example.com:8443/signed.pdf?Signature=x",
        "http://127.0.0.1:8121/sandbox/files/invoices/1.pdf",
        "https://api.osc-fr1.scalingo.com/v1/account/invoices/1/download",
    ],
)
def test_it_allows_the_listed_hosts_and_the_api_hosts(hosts, url):
    downloads.download_target(url)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:9/", "loopback, not listed"),
        ("http://localhost:8000/admin/", "loopback by name, not listed"),
        ("https://10.0.0.5/internal.pdf", "private 10/8"),
        ("https://192.168.1.20/router.pdf", "private 192.168/16"),
        ("http://169.254.169.254/latest/meta-data/", "link-local: cloud metadata"),
        ("https://files.example.com/signed.pdf", "listed with port 8443, asked on 443"),
        ("https://files.example.com:8444/signed.pdf", "listed with port 8443, asked on 8444"),
        ("http://127.0.0.1:8122/sandbox/files/invoices/1.pdf", "listed with port 8121, asked on 8122"),
        ("http://download.scalingo.com/invoices/1/download", "https only unless http:// is named"),
        ("https://127.0.0.1:8121/x.pdf", "http://127.0.0.1:8121 is named: https there is another origin"),
        ("https://user:pass@download.scalingo.com/x.pdf", "credentials in the URL"),
        ("ftp://download.scalingo.com/x.pdf", "not http(s)"),
        ("https://download.scalingo.com.evil.example/x.pdf", "a longer name is another host"),
    ],
)
def test_it_refuses_other_targets_without_connecting(hosts, no_connection, url, why):
    with pytest.raises(downloads.DownloadRefused):
        downloads.file_open(url=url)
    assert no_connection == [], why


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.0.7",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fd00::7",
        "::ffff:127.0.0.1",
        "0.0.0.0",
    ],
)
def test_it_refuses_a_listed_name_that_resolves_to_a_non_public_address(hosts, no_connection, monkeypatch, address):
    monkeypatch.setattr(downloads, "_resolve", lambda host, port: ["93.184.215.14", address])
    with pytest.raises(downloads.DownloadRefused) as refused:
        downloads.file_open(url="https://download.scalingo.com/invoices/1/download")
    assert refused.value.reason == "address"
    assert no_connection == []


def test_it_connects_to_the_address_it_checked(hosts, no_connection, monkeypatch):
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])  # a second DNS answer must not be used
    monkeypatch.setattr(downloads, "_resolve", lambda host, port: next(answers))
    with pytest.raises(errors.UpstreamConnectionError):  # the connection itself fails: no network here
        downloads.file_open(url="https://download.scalingo.com/invoices/1/download")
    assert no_connection == [("93.184.215.14", 443)]


def test_an_explicitly_listed_local_store_is_not_checked_for_its_address(hosts, no_connection, monkeypatch):
    monkeypatch.setattr(downloads, "_resolve", lambda host, port: pytest.fail("an IP entry needs no resolving"))
    with pytest.raises(errors.UpstreamConnectionError):
        downloads.file_open(url="http://127.0.0.1:8121/sandbox/files/invoices/1.pdf")
    assert no_connection == [("127.0.0.1", 8121)]


def test_it_reads_the_download_hosts_setting_strictly(monkeypatch):
    monkeypatch.setenv(
        "SCALINGO_DOWNLOAD_HOSTS", " download.scalingo.com , files.example.com:8443,http://127.0.0.1:8121 "
    )
    assert env_host_entries("SCALINGO_DOWNLOAD_HOSTS", "download.scalingo.com") == [
        "download.scalingo.com",
        "files.example.com:8443",
        "http://127.0.0.1:8121",
    ]
    monkeypatch.setenv("SCALINGO_DOWNLOAD_HOSTS", "download.scalingo.com/path,ftp://x,files:0")
    with pytest.raises(ImproperlyConfigured) as bad:
        env_host_entries("SCALINGO_DOWNLOAD_HOSTS", "download.scalingo.com")
    message = str(bad.value)
    assert message.startswith("SCALINGO_DOWNLOAD_HOSTS: ")
    assert "'download.scalingo.com/path'" in message and "'ftp://x'" in message and "'files:0'" in message
    monkeypatch.delenv("SCALINGO_DOWNLOAD_HOSTS")
    assert env_host_entries("SCALINGO_DOWNLOAD_HOSTS", "download.scalingo.com") == ["download.scalingo.com"]


def test_it_parses_each_form_of_entry():
    assert host_entry("Download.Scalingo.com") == downloads.host_entry("download.scalingo.com")
    entry = host_entry("https://[::1]:9000")
    assert (entry.scheme, entry.host, entry.port, entry.is_ip) == ("https", "::1", 9000, True)
    entry = host_entry("files.example.com:8443")
    assert (entry.scheme, entry.host, entry.port, entry.is_ip) == (None, "files.example.com", 8443, False)
