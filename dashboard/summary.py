"""The account summary the layout shows on every full page (banners), fetched concurrently."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest

from accounts.services import current_user_future
from dashboard.upstream.types import User


@dataclass(frozen=True)
class AccountSummary:
    """What the layout shows on every page: who is signed in and whether something needs action."""

    user: User


class LazyAccountSummary:
    """Started when the view starts; the layout waits for it only when it renders the banner."""

    def __init__(self, request: HttpRequest) -> None:
        self._user = current_user_future(request)

    @cached_property
    def value(self) -> AccountSummary | None:
        try:
            return AccountSummary(user=self._user.result(timeout=15))
        except Exception:
            return None
