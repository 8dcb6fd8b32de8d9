"""An account attribute shown as text with an Edit link, or as its in-place form: the Profile and
Authentication pages both show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from accounts.forms import ProfileFieldForm, profile_field
from accounts.http import AuthenticatedRequest
from dashboard.upstream.types import User

PAGES = {"profile": "accounts:profile", "authentication": "accounts:authentication"}


@dataclass(frozen=True)
class InlineField:
    """One attribute shown as text with an Edit link, or as its in-place form."""

    name: str
    label: str
    value: str
    page: str
    form: ProfileFieldForm | None = None
    notice: str | None = None
    pending: str | None = None

    @property
    def page_url(self) -> str:
        return reverse(PAGES[self.page])


def inline_field(
    user: User, name: str, page: str, *, form: ProfileFieldForm | None = None, notice: str | None = None
) -> InlineField:
    return InlineField(
        name=name,
        label=str(profile_field(name).label),
        value=str(getattr(user, name) or ""),
        page=page,
        form=form,
        notice=notice,
        pending=user.unconfirmed_email if name == "email" else None,
    )


def edit_form(user: User, name: str) -> ProfileFieldForm:
    return ProfileFieldForm(name, initial={name: getattr(user, name)}, has_password=user.has_password)


def editing_form(
    request: AuthenticatedRequest, user: User, name: str, bound: ProfileFieldForm | None
) -> ProfileFieldForm | None:
    """The form an attribute shows: the bound one after a failed POST, or a fresh one for
    ``?edit=<name>`` (the no-JS way to open an in-place edit)."""
    if bound is not None:
        return bound if bound.name == name else None
    return edit_form(user, name) if request.GET.get("edit") == name else None
