"""Invoice PDFs from the platform's file host (upstream-api.md §3.4), fetched safely.

``GET /account/invoices/:id/download`` answers 302 to ``pdf_url`` on another host
(``download.scalingo.com``), which may redirect again (a signed storage URL). The rules:

- At most ``MAX_REDIRECTS`` redirects in all, the API's own 302 included.
- Each hop goes only to an allowed host, checked before anything is sent: a configured API host
  (``SCALINGO_AUTH_URL``, ``SCALINGO_API_URL``, ``SCALINGO_BILLING_URL``) or an entry of
  ``SCALINGO_DOWNLOAD_HOSTS``. An entry without a scheme allows https only; ``http://`` must be
  named. A port given allows only that port.
- An entry given by name without a scheme (``download.scalingo.com``) is a public host: every
  address it resolves to must be public, or nothing is sent (no loopback, private, link-local,
  shared or reserved address). The connection goes to the address that was checked, so a second
  DNS answer cannot change it. An API host, an entry written with a scheme
  (``http://files.internal:9000``, a local file store) or given as an IP address is explicitly
  listed, and may be local.
- The platform bearer is never sent here: the API's 302 is read by ``http.call``; every later hop
  is on a file host, public by its unguessable URL.
- One overall deadline (``DOWNLOAD_DEADLINE_SECONDS``) covers every hop and every byte: each socket
  read waits at most until it, so a host that trickles bytes is cut off on time.
- At most ``DOWNLOAD_CONCURRENCY`` downloads per process (``download_slot``), so pages keep threads.
- One log line per download: host, status, bytes, redirects, duration, outcome; never a URL's
  path or query (a signed URL's query is a credential), never a token.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from dashboard.env import host_entry
from dashboard.requestid import current_request_id, run_with_request_id

from . import errors
from .http import error_for

logger = logging.getLogger("dashboard.upstream.downloads")

MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class DownloadRefused(errors.UpstreamError):
    """A hop the dashboard may not follow. Nothing was sent to it."""

    status = 502

    def __init__(self, message: str, *, host: str, reason: str) -> None:
        super().__init__(message)
        self.host = host
        self.reason = reason  # "host", "address" or "redirects"


class DownloadTooSlow(errors.UpstreamTimeout):
    """The download's overall deadline passed (a stuck or trickling file host)."""

    status = 504


# Which hosts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    local_allowed: bool  # an API host or an explicitly listed one: its addresses are not checked

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"


def _origin(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def download_target(url: str) -> _Target:
    """Where ``url`` may be fetched from, or ``DownloadRefused`` (nothing is sent)."""
    origin = _origin(url)
    if origin is None:
        raise DownloadRefused("not an http(s) URL with a host", host="?", reason="host")
    scheme, host, port = origin
    api_origins = {
        _origin(u) for u in (settings.SCALINGO_AUTH_URL, settings.SCALINGO_API_URL, settings.SCALINGO_BILLING_URL)
    }
    if origin in api_origins:
        return _Target(scheme, host, port, local_allowed=True)
    for text in settings.SCALINGO_DOWNLOAD_HOSTS:
        entry = host_entry(text)
        if entry.host != host or (entry.port is not None and entry.port != port):
            continue
        if scheme != (entry.scheme or "https"):
            continue
        return _Target(scheme, host, port, local_allowed=entry.scheme is not None or entry.is_ip)
    raise DownloadRefused(
        f"{scheme}://{host}:{port} is not an allowed download host", host=f"{host}:{port}", reason="host"
    )


def _resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order (tests replace this)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for a public host; ``DownloadRefused`` if any is not public."""
    try:
        addresses = _resolve(host, port)
    except OSError as exc:
        raise httpcore.ConnectError(f"{host} does not resolve") from exc
    for address in addresses:
        if not _is_public(address):
            raise DownloadRefused(
                f"{host} resolves to the non-public address {address}", host=f"{host}:{port}", reason="address"
            )
    return addresses


# The connection: checked addresses, one deadline for every read ---------------------------------


@dataclass(frozen=True)
class _Hop:
    target: _Target
    deadline: float


_current_hop: contextvars.ContextVar[_Hop | None] = contextvars.ContextVar("download_hop", default=None)


def _until(deadline: float, timeout: float | None) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("download deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _until(self._deadline, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _until(self._deadline, timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _until(self._deadline, timeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to checked addresses of the hop being fetched (TLS still checks the name)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        hop = _current_hop.get()
        if hop is None or hop.target.host != host.lower() or hop.target.port != port:
            raise DownloadRefused("a connection outside a checked hop", host=f"{host}:{port}", reason="host")
        addresses = [host] if hop.target.local_allowed else public_addresses(host, port)
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    address, port, _until(hop.deadline, timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream, hop.deadline)
        raise failure


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        # No keep-alive: each hop is a connection of its own, checked when it is made.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_keepalive_connections=0,
            network_backend=_GuardedBackend(),
        )


_client: httpx.Client | None = None
_client_lock = threading.Lock()


def _http() -> httpx.Client:
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                # trust_env off: a proxy from the environment would bypass the address checks.
                _client = httpx.Client(
                    transport=_GuardedTransport(),
                    follow_redirects=False,
                    trust_env=False,
                    headers={"User-Agent": "account-dashboard/1", "Accept": "application/pdf"},
                )
    return _client


# A download -------------------------------------------------------------------------------------


class FileDownload:
    """An open download: iterate for the bytes as they come; ``close()`` ends it and logs it."""

    def __init__(self, response: httpx.Response, *, target: _Target, started: float, deadline: float, redirects: int):
        self._response = response
        self._target = target
        self._started = started
        self._deadline = deadline
        self._redirects = redirects
        self._request_id = current_request_id()
        self._outcome = "incomplete"
        self._closed = False
        self.received = 0

    @property
    def content_length(self) -> int | None:
        value = self._response.headers.get("content-length", "")
        return int(value) if value.isdigit() else None

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._response.iter_raw():
                self.received += len(chunk)
                yield chunk
        except httpx.TimeoutException as exc:
            self._outcome = "deadline" if time.monotonic() >= self._deadline else "timeout"
            if self._outcome == "deadline":
                raise DownloadTooSlow("The file host did not send the file in time.") from exc
            raise errors.UpstreamTimeout("The file host stopped sending the file.") from exc
        except httpx.TransportError as exc:
            self._outcome = "connection-error"
            raise errors.UpstreamConnectionError("The download from the file host was interrupted.") from exc
        self._outcome = "ok"

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._response.close()
        run_with_request_id(
            self._request_id,
            _log,
            host=self._target.label,
            status=self._response.status_code,
            received=self.received,
            redirects=self._redirects,
            started=self._started,
            outcome=self._outcome,
        )

    def __enter__(self) -> FileDownload:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _log(*, host: str, status: int | str, received: int, redirects: int, started: float, outcome: str) -> None:
    logger.log(
        logging.INFO if outcome == "ok" else logging.WARNING,
        "file download %s from %s: %s, %d bytes, %.1f s",
        outcome,
        host,
        status,
        received,
        time.monotonic() - started,
        extra={
            "upstream_host": host,
            "status": status,
            "bytes": received,
            "redirects": redirects,
            "outcome": outcome,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )


def file_open(*, url: str, redirects: int = 1, until: float | None = None) -> FileDownload:
    """Start downloading ``url`` (the ``Location`` of the API's 302, which counts as ``redirects``).

    The deadline is ``DOWNLOAD_DEADLINE_SECONDS`` from now, or ``until`` (a ``time.monotonic()``
    value: an archive's own deadline) if that comes first.

    Follows the file host's redirects under the rules above, and returns once a 200 has come, so a
    failure is known before the person's response starts. Raises an ``errors.UpstreamError``:
    ``DownloadRefused``, ``DownloadTooSlow``, or the error for the file host's status.
    """
    started = time.monotonic()
    deadline = started + settings.DOWNLOAD_DEADLINE_SECONDS
    if until is not None:
        deadline = min(deadline, until)
    timeout = httpx.Timeout(settings.UPSTREAM_READ_TIMEOUT, connect=settings.UPSTREAM_CONNECT_TIMEOUT)
    current = url
    while True:
        try:
            target = download_target(current)
            response = _send(current, target, deadline, timeout)
        except DownloadRefused as exc:
            _log(host=exc.host, status="refused", received=0, redirects=redirects, started=started, outcome=exc.reason)
            raise
        except httpx.TimeoutException as exc:
            late = time.monotonic() >= deadline
            outcome = "deadline" if late else "timeout"
            _log(host=target.label, status="timeout", received=0, redirects=redirects, started=started, outcome=outcome)
            if late:
                raise DownloadTooSlow("The file host did not send the file in time.") from exc
            raise errors.UpstreamTimeout("The file host did not answer in time.") from exc
        except httpx.TransportError as exc:
            _log(host=target.label, status="error", received=0, redirects=redirects, started=started, outcome="error")
            raise errors.UpstreamConnectionError("The file host could not be reached.") from exc
        if response.status_code in REDIRECT_STATUSES:
            location = response.headers.get("location")
            response.close()
            if not location:
                raise errors.MalformedResponse("The file host redirected without saying where.")
            if redirects >= MAX_REDIRECTS:
                _log(
                    host=target.label,
                    status=response.status_code,
                    received=0,
                    redirects=redirects,
                    started=started,
                    outcome="redirects",
                )
                raise DownloadRefused(f"more than {MAX_REDIRECTS} redirects", host=target.label, reason="redirects")
            redirects += 1
            current = urljoin(current, location)
            continue
        download = FileDownload(response, target=target, started=started, deadline=deadline, redirects=redirects)
        if response.status_code != 200:
            with contextlib.suppress(httpx.HTTPError):
                response.read()
            download._outcome = "host-error"
            download.close()
            error = error_for(response)
            if isinstance(error, errors.Unauthorized):
                # The file host's link carries no session: its 401 refuses the link, not the person.
                raise errors.UpstreamError(error.message, status=401)
            raise error
        return download


def _send(url: str, target: _Target, deadline: float, timeout: httpx.Timeout) -> httpx.Response:
    token = _current_hop.set(_Hop(target, deadline))
    try:
        request = _http().build_request("GET", url, headers={"X-Request-ID": current_request_id()}, timeout=timeout)
        return _http().send(request, stream=True)
    finally:
        _current_hop.reset(token)


# How many at once -------------------------------------------------------------------------------


class _Gate:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0

    def enter(self, limit: int) -> bool:
        with self._lock:
            if self.running >= limit:
                return False
            self.running += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.running = max(0, self.running - 1)


_gate = _Gate()


class DownloadSlot:
    """One of the process's ``DOWNLOAD_CONCURRENCY`` downloads; released once, by ``release``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = True

    def release(self) -> None:
        with self._lock:
            if not self._held:
                return
            self._held = False
        _gate.leave()

    def hold(self, content: Iterable[bytes]) -> HeldContent:
        """``content`` for a streaming response: closing the response closes it and frees the slot."""
        return HeldContent(content, self)


class HeldContent:
    """A response body that holds a download slot. It runs under the request's id: the server
    iterates it after the request id middleware has returned, and its fetches log and send that id."""

    def __init__(self, content: Iterable[bytes], slot: DownloadSlot) -> None:
        self._content = content
        self._slot = slot
        self._request_id = current_request_id()

    def __iter__(self) -> Iterator[bytes]:
        iterator = iter(self._content)
        while True:
            chunk: bytes | None = run_with_request_id(self._request_id, next, iterator, None)
            if chunk is None:
                return
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self._content, "close", None)
            if close is not None:
                close()
        finally:
            self._slot.release()


def download_slot() -> DownloadSlot | None:
    """A slot for one download, or None when the process already runs as many as it may."""
    if not _gate.enter(settings.DOWNLOAD_CONCURRENCY):
        logger.warning("download refused: %d downloads already running", _gate.running, extra={"outcome": "busy"})
        return None
    return DownloadSlot()


def downloads_running() -> int:
    return _gate.running
