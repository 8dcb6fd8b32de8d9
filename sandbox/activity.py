"""Account events (contract §3.7), written as the sandbox's state changes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sandbox.models import Event, User


def event_record(user: User, type_: str, **type_data: Any) -> None:
    Event.objects.create(user=user, type=type_, type_data=type_data, created_at=timezone.now())
