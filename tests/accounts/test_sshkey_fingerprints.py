"""Local reading of OpenSSH public keys: fingerprints as ``ssh-keygen -lf`` prints them, and checks."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.utils import translation

from accounts import sshkeys
from tests.accounts.keys_data import (
    ECDSA_384,
    ECDSA_384_FINGERPRINT,
    ED25519,
    ED25519_FINGERPRINT,
    RSA_3072,
    RSA_3072_FINGERPRINT,
)


@pytest.fixture(autouse=True)
def _english():
    # Messages are translated; these tests read the English ones whatever an earlier test activated.
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("content", "fingerprint", "label", "bits", "comment"),
    [
        (ED25519, ED25519_FINGERPRINT, "ED25519", 256, "alice@laptop"),
        (RSA_3072, RSA_3072_FINGERPRINT, "RSA", 3072, "bob@ci"),
        (ECDSA_384, ECDSA_384_FINGERPRINT, "ECDSA", 384, ""),
    ],
)
def test_it_shows_the_fingerprint_ssh_keygen_shows(content, fingerprint, label, bits, comment):
    key = sshkeys.parse(content)
    assert key.fingerprint == fingerprint
    assert key.type_label == label
    assert key.bits == bits
    assert key.comment == comment


@pytest.mark.parametrize(
    "private_key",
    [
        ed25519.Ed25519PrivateKey.generate(),
        rsa.generate_private_key(65537, 2048),
        ec.generate_private_key(ec.SECP256R1()),
    ],
)
def test_it_handles_keys_serialized_by_cryptography(private_key):
    public = private_key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    key = sshkeys.parse(public.decode() + "  me@host \n")
    assert key.comment == "me@host"
    assert key.fingerprint.startswith("SHA256:")
    assert "=" not in key.fingerprint


def _retyped(content: str, new_type: str) -> str:
    return new_type + " " + content.split(" ", 1)[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Paste your public key"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "Unknown key type"),
        ("ssh-ed25519", "key data is missing"),
        ("ssh-ed25519 not*base64!", "not valid base64"),
        (_retyped(ED25519, "ssh-rsa"), "its data is a ssh-ed25519 key"),
        (_retyped(ECDSA_384, "ecdsa-sha2-nistp256"), "its data is a ecdsa-sha2-nistp384 key"),
        ("ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x02ab").decode(), "ED25519"),
        ("ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00").decode(), "cut short"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "private key"),
    ],
)
def test_it_handles_invalid_keys(content, message):
    with pytest.raises(sshkeys.InvalidKey, match=message):
        sshkeys.parse(content)


def test_it_handles_trailing_bytes_in_the_blob():
    blob = base64.b64decode(ED25519.split()[1]) + b"\x00"
    with pytest.raises(sshkeys.InvalidKey, match="extra bytes"):
        sshkeys.parse("ssh-ed25519 " + base64.b64encode(blob).decode())
