"""OpenSSH public keys, read locally: the type, the size and the SHA256 fingerprint that
``ssh-keygen -lf`` shows, and the checks a pasted key must pass before it goes upstream."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Declared type → the name ssh-keygen prints in brackets.
KEY_TYPES = {
    "ssh-ed25519": "ED25519",
    "ssh-rsa": "RSA",
    "ecdsa-sha2-nistp256": "ECDSA",
    "ecdsa-sha2-nistp384": "ECDSA",
    "ecdsa-sha2-nistp521": "ECDSA",
    "sk-ssh-ed25519@openssh.com": "ED25519-SK",
    "sk-ecdsa-sha2-nistp256@openssh.com": "ECDSA-SK",
}
_EC_BITS = {"nistp256": 256, "nistp384": 384, "nistp521": 521}


class InvalidKey(ValueError):
    """The pasted text is not a usable public key; the message is for the person who pasted it."""


@dataclass(frozen=True)
class PublicKey:
    type: str
    blob: bytes
    comment: str
    bits: int

    @property
    def type_label(self) -> str:
        return KEY_TYPES[self.type]

    @property
    def fingerprint(self) -> str:
        """``SHA256:`` and the unpadded base64 of the blob's SHA-256, as ``ssh-keygen -lf``."""
        return "SHA256:" + base64.b64encode(hashlib.sha256(self.blob).digest()).decode().rstrip("=")

    @property
    def normalized(self) -> str:
        return f"{self.type} {base64.b64encode(self.blob).decode()} {self.comment}".strip()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def string(self) -> bytes:
        if self.offset + 4 > len(self.data):
            raise InvalidKey(_("The key is cut short: copy the whole line from the .pub file."))
        (length,) = struct.unpack(">I", self.data[self.offset : self.offset + 4])
        start = self.offset + 4
        if start + length > len(self.data):
            raise InvalidKey(_("The key is cut short: copy the whole line from the .pub file."))
        self.offset = start + length
        return self.data[start : self.offset]

    def at_end(self) -> bool:
        return self.offset == len(self.data)


def _mpint_bits(value: bytes) -> int:
    return int.from_bytes(value, "big").bit_length()


def _bits(key_type: str, reader: _Reader) -> int:
    if key_type == "ssh-rsa":
        reader.string()  # public exponent
        return _mpint_bits(reader.string())
    if key_type in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        if len(reader.string()) != 32:
            raise InvalidKey(_("This is not a valid ED25519 key."))
        return 256
    curve = key_type.removeprefix("sk-").removeprefix("ecdsa-sha2-").removesuffix("@openssh.com")
    if reader.string().decode("ascii", "replace") != curve:
        raise InvalidKey(_("This ECDSA key names a different curve than its type."))
    reader.string()  # the point
    return _EC_BITS[curve]


def parse(text: str) -> PublicKey:
    """Read one OpenSSH public key line (``type base64 [comment]``), or raise ``InvalidKey``."""
    line = text.strip()
    if not line:
        raise InvalidKey(_("Paste your public key."))
    if "PRIVATE KEY" in line:
        raise InvalidKey(_("This is a private key. Paste the public key (the .pub file) and keep this one secret."))
    if "\n" in line:
        raise InvalidKey(_("Paste a single key, on one line."))
    parts = line.split(None, 2)
    key_type = parts[0]
    if key_type not in KEY_TYPES:
        raise InvalidKey(_("Unknown key type. A public key starts with ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256."))
    if len(parts) < 2:
        raise InvalidKey(_("The key data is missing after its type."))
    encoded = parts[1]
    if not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", encoded):
        raise InvalidKey(_("The key data is not valid base64."))
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKey(_("The key data is not valid base64.")) from None
    reader = _Reader(blob)
    embedded = reader.string().decode("ascii", "replace")
    if embedded != key_type:
        raise InvalidKey(
            _("The key says it is %(declared)s but its data is a %(embedded)s key.")
            % {"declared": key_type, "embedded": embedded[:40]}
        )
    bits = _bits(key_type, reader)
    if key_type.startswith("sk-"):
        reader.string()  # application ("ssh:")
    if not reader.at_end():
        raise InvalidKey(_("The key data has extra bytes after the key."))
    if key_type == "ssh-rsa" and bits < 1024:
        raise InvalidKey(
            _("This RSA key is too short (%(bits)d bits). Use at least 3072 bits, or ED25519.") % {"bits": bits}
        )
    comment = parts[2].strip() if len(parts) == 3 else ""
    return PublicKey(type=key_type, blob=blob, comment=comment, bits=bits)


def describe(text: str) -> PublicKey | None:
    """The key behind an upstream ``content``, or None when it cannot be read (shown as unknown)."""
    try:
        return parse(text)
    except InvalidKey:
        return None
