"""Bearers (HS256 JWTs), API-token secrets, Basic credentials, passwords and TOTP codes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt
import pyotp
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.http import HttpRequest

from sandbox import behaviours, conf
from sandbox.http import Invalid, Unauthorized
from sandbox.models import ApiToken, User

WRONG_CREDENTIAL_401 = behaviours.register(
    "wrong-password-401",
    "A wrong current password or 2FA code on a signed-in write answers 401 {error} instead of 422.",
)

# Few iterations on purpose: the seed hashes several passwords before many tests.
_PASSWORD_ITERATIONS = 2000
_hasher = PBKDF2PasswordHasher()


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_hash(password: str) -> str:
    return _hasher.encode(password, secrets.token_hex(8), iterations=_PASSWORD_ITERATIONS)


def password_matches(user: User, password: str) -> bool:
    if not user.password:
        return False
    try:
        return _hasher.verify(password, user.password)
    except (ValueError, AssertionError):
        return False


def bearer_issue(token: ApiToken) -> str:
    now = int(time.time())
    claims = {
        "iss": "scalingo-sandbox",
        "sub": token.user_id,
        "tid": token.id,
        "gen": token.generation,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + conf.jwt_ttl(),
    }
    return jwt.encode(claims, conf.jwt_secret(), algorithm="HS256")


def bearer_user(raw: str) -> tuple[User | None, str]:
    """The user behind a bearer, or None and the 401 message."""
    try:
        claims = jwt.decode(raw, conf.jwt_secret(), algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        return None, "Token expired"
    except jwt.PyJWTError:
        return None, "Invalid bearer token"
    token = ApiToken.objects.select_related("user").filter(id=claims.get("tid")).first()
    if token is None or token.generation != claims.get("gen") or token.user_id != claims["sub"]:
        return None, "Token revoked"
    return token.user, ""


@dataclass(frozen=True)
class BasicCredentials:
    login: str
    password: str


def basic_credentials(request: HttpRequest) -> BasicCredentials | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, sep, password = decoded.partition(":")
    if not sep:
        return None
    return BasicCredentials(login=login, password=password)


def bearer_value(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_by_secret(secret: str) -> ApiToken | None:
    if not secret.startswith("tk-us-"):
        return None
    return ApiToken.objects.select_related("user").filter(secret_hash=hash_secret(secret)).first()


def user_by_login(login: str) -> User | None:
    login = login.strip()
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username__iexact"
    return User.objects.filter(**{field: login}).first()


def normalize_otp(value: object) -> str:
    """The code as the platform's TOTP library compares it: a string. An int
    (``{"attempt":12345}``) has lost its leading zero and does not match ``"012345"``."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip().replace(" ", "")
    return ""


def totp_valid(secret: str, code: str) -> bool:
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def otp_accept(user: User, code: str) -> bool:
    """A TOTP code, or a recovery code (consumed on use)."""
    if totp_valid(user.tfa_secret, code):
        return True
    digest = hash_secret(code.lower())
    if digest in user.tfa_recovery_hashes:
        user.tfa_recovery_hashes = [h for h in user.tfa_recovery_hashes if h != digest]
        user.save(update_fields=["tfa_recovery_hashes"])
        return True
    return False


def recovery_codes(count: int = 10) -> tuple[list[str], list[str]]:
    codes = [secrets.token_hex(5) for _ in range(count)]
    return codes, [hash_secret(code) for code in codes]


def refuse_credential(field: str, message: str) -> Invalid:
    """A wrong current password or 2FA code on a signed-in write: 422 on that field by default,
    or, with ``wrong-password-401``, a 401 raised here (the session itself is still valid)."""
    if behaviours.active(WRONG_CREDENTIAL_401):
        raise Unauthorized(f"Invalid {field.replace('_', ' ')}")
    return Invalid({field: [message]})
