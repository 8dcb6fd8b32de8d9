"""JSON responses and error shapes of contract §5, and request-body parsing.

Views raise ``ApiError`` subclasses; the routing wrapper turns them into responses, so a view
reads top to bottom without early-return plumbing.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


class ApiError(Exception):
    """An error answer; ``response()`` renders its §5 body."""

    status = 500
    body: dict[str, Any] = {"error": "Internal error occured, we're on it!"}

    def response(self) -> HttpResponse:
        return json_response(self.body, status=self.status)


class BadRequest(ApiError):
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.body = {"error": f"There was a problem in the JSON you submitted: {detail}"}


class Unauthorized(ApiError):
    status = 401

    def __init__(self, message: str = "You are not authorized to do this operation") -> None:
        super().__init__(message)
        self.body = {"error": message}


class PaymentRequired(ApiError):
    status = 402
    body = {
        "error": "Sorry, you need to verify your account (billing profile and payment card) to create a new app",
        "url": "https://my.scalingo.com/apps/billing",
    }


class Forbidden(ApiError):
    status = 403

    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(message)
        self.body = {"error": message, "code": code}


class NotFound(ApiError):
    status = 404

    def __init__(self, resource: str) -> None:
        super().__init__(resource)
        self.body = {"resource": resource, "error": "not found"}


class Conflict(ApiError):
    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.body = {"error": message}


class Invalid(ApiError):
    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.body = {"errors": errors}


def read_json(request: HttpRequest) -> dict[str, Any]:
    """The request body as an object; an empty body counts as ``{}``."""
    raw = request.body
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        snippet = raw[:60].decode("utf-8", "replace")
        raise BadRequest(f"{exc}: unexpected token at '{snippet}'") from None
    if not isinstance(data, dict):
        raise BadRequest(f"expected a JSON object at '{raw[:60].decode('utf-8', 'replace')}'")
    return data


def unwrap(body: dict[str, Any], key: str) -> dict[str, Any]:
    """`{"key": {...}}` or the bare object: both are accepted (contract §8.14)."""
    if key in body:
        inner = body[key]
        if not isinstance(inner, dict):
            raise Invalid({key: ["should be an object"]})
        return inner
    return body


def optional_str(data: dict[str, Any], field: str, errors: dict[str, list[str]]) -> str | None:
    """A string field that may be absent; anything but a string is a 422."""
    if field not in data or data[field] is None:
        return None
    value = data[field]
    if not isinstance(value, str):
        errors.setdefault(field, []).append("should be a string")
        return None
    return value.strip()
