"""OpenSSH public keys: parsed structurally, not just pattern-matched.

Accepted: ``ssh-rsa`` (≥ 1024-bit modulus), ``ssh-ed25519`` and ``ecdsa-sha2-nistp256/384/521``.
The blob's embedded type must match the declared one and nothing may trail its fields.
The fingerprint is the classic colon-hex MD5 of the blob (``56:ba:e5:…``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

_EC_POINT_SIZES = {"nistp256": 65, "nistp384": 97, "nistp521": 133}


class KeyError_(ValueError):
    """The content is not a usable public key; the message is user-facing."""


@dataclass(frozen=True)
class PublicKey:
    type: str
    blob: bytes
    comment: str

    @property
    def content(self) -> str:
        encoded = base64.b64encode(self.blob).decode()
        return f"{self.type} {encoded} {self.comment}".strip()

    @property
    def fingerprint(self) -> str:
        digest = hashlib.md5(self.blob, usedforsecurity=False).hexdigest()
        return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))

    @property
    def blob_sha256(self) -> str:
        return hashlib.sha256(self.blob).hexdigest()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def string(self) -> bytes:
        if self.offset + 4 > len(self.data):
            raise KeyError_("is not a valid public key (truncated)")
        (length,) = struct.unpack(">I", self.data[self.offset : self.offset + 4])
        start = self.offset + 4
        if start + length > len(self.data):
            raise KeyError_("is not a valid public key (truncated)")
        self.offset = start + length
        return self.data[start : self.offset]

    def done(self) -> None:
        if self.offset != len(self.data):
            raise KeyError_("is not a valid public key (trailing data)")


def _check_rsa(reader: _Reader) -> None:
    exponent = int.from_bytes(reader.string(), "big")
    modulus = int.from_bytes(reader.string(), "big")
    if exponent < 3 or modulus.bit_length() < 1024:
        raise KeyError_("is not a valid public key (RSA keys need at least 1024 bits)")


def _check_ed25519(reader: _Reader) -> None:
    if len(reader.string()) != 32:
        raise KeyError_("is not a valid public key (bad ed25519 length)")


def _check_ecdsa(reader: _Reader, curve: str) -> None:
    if reader.string().decode("ascii", "replace") != curve:
        raise KeyError_("is not a valid public key (curve mismatch)")
    point = reader.string()
    if len(point) != _EC_POINT_SIZES[curve] or point[0] != 4:
        raise KeyError_("is not a valid public key (bad ECDSA point)")


def parse(content: str) -> PublicKey:
    parts = content.strip().split(None, 2)
    if len(parts) < 2:
        raise KeyError_("is not a valid public key")
    key_type, encoded = parts[0], parts[1]
    comment = parts[2].strip() if len(parts) == 3 else ""
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise KeyError_("is not a valid public key (bad base64)") from None
    reader = _Reader(blob)
    embedded = reader.string().decode("ascii", "replace")
    if embedded != key_type:
        raise KeyError_("is not a valid public key (type mismatch)")
    if key_type == "ssh-rsa":
        _check_rsa(reader)
    elif key_type == "ssh-ed25519":
        _check_ed25519(reader)
    elif key_type.startswith("ecdsa-sha2-") and key_type[11:] in _EC_POINT_SIZES:
        _check_ecdsa(reader, key_type[11:])
    else:
        raise KeyError_(f"has an unsupported key type ({key_type[:40]})")
    reader.done()
    return PublicKey(type=key_type, blob=blob, comment=comment)
