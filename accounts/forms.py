from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PasswordSigninForm(forms.Form):
    login = forms.CharField(
        label=_("Email or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenSigninForm(forms.Form):
    api_token = forms.CharField(
        label=_("API token"),
        max_length=512,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Create one on the platform's dashboard under API tokens. It starts with tk-us-."),
    )

    def clean_api_token(self) -> str:
        value: str = self.cleaned_data["api_token"].strip()
        if not re.fullmatch(r"tk-[A-Za-z0-9_-]{8,}", value):
            raise forms.ValidationError(_("An API token looks like tk-us-… with no spaces."))
        return value


def one_time_code_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    """A TOTP code (or recovery code) field that phones fill from the authenticator app."""
    return forms.CharField(
        label=label,
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        help_text=help_text,
    )


def one_time_code(value: str, *, allow_recovery: bool) -> str | None:
    """The code without spaces, or None when it is neither 6 digits nor (if allowed) a recovery code."""
    code = re.sub(r"\s+", "", value)
    if re.fullmatch(r"\d{6}", code) or (allow_recovery and re.fullmatch(r"[A-Za-z0-9-]{8,64}", code)):
        return code
    return None


class OtpForm(forms.Form):
    otp = one_time_code_field(
        _("Authentication code"),
        _("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )

    def clean_otp(self) -> str:
        code = one_time_code(self.cleaned_data["otp"], allow_recovery=True)
        if code is None:
            raise forms.ValidationError(_("Enter the 6-digit code, or a recovery code."))
        return code


# --- Account pages -------------------------------------------------------------------------------


def _text_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"spellcheck": "false", **attrs})


def profile_field(name: str) -> forms.Field:
    """The form field that edits one user attribute in place."""
    if name == "username":
        return forms.CharField(
            label=_("Username"),
            max_length=49,
            widget=_text_input(autocomplete="username", autocapitalize="none"),
            help_text=_("Lower-case letters, digits, hyphens and underscores."),
        )
    if name == "email":
        return forms.EmailField(
            label=_("Email"),
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        )
    labels = {"fullname": _("Full name"), "company": _("Company"), "location": _("Location")}
    autocomplete = {"fullname": "name", "company": "organization", "location": "address-level2"}
    return forms.CharField(
        label=labels[name],
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete[name]}),
    )


INLINE_FIELDS = ("username", "email", "fullname", "company", "location")


def current_password_field(help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=_("Current password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=help_text,
    )


def keep_typed_passwords(form: forms.Form) -> None:
    """After a failed submit, mark the password fields that were not wrong: the page's script puts
    back what was typed in them (the server never writes a password into the page)."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.PasswordInput) and not form.errors.get(name):
            field.widget.attrs["data-keep-typed"] = ""


class ProfileFieldForm(forms.Form):
    """One attribute, edited in place; the field is named as the upstream names it, so its 422
    messages land under it. A new email also asks for the current password (re-authentication)."""

    def __init__(self, name: str, *args: Any, has_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.fields[name] = profile_field(name)
        self.fields[name].widget.attrs.setdefault("autofocus", "")
        # An account created with GitHub has no password to confirm a new email with.
        self.locked = name == "email" and not has_password
        if name == "email" and has_password:
            self.fields["current_password"] = current_password_field(
                _("To change the address you sign in with, confirm it is you.")
            )
            # Its own id: the Authentication page also has the password form's current password.
            self.fields["current_password"].widget.attrs["id"] = "id_email_current_password"

    @property
    def locked_reason(self) -> str:
        if not self.locked:
            return ""
        return str(
            _(
                "This account was created with GitHub and has no password to confirm a new email with. "
                "Set a password first (“Forgot your password?” on the Scalingo sign-in page), then come back."
            )
        )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if self.locked:
            raise forms.ValidationError(self.locked_reason)
        return data

    @property
    def field(self) -> forms.BoundField:
        return self[self.name]

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != self.name]

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,48}", value):
            raise forms.ValidationError(
                _("Use 2 to 49 lower-case letters, digits, hyphens or underscores, starting with a letter or digit.")
            )
        return value


class NewsletterForm(forms.Form):
    email_newsletter = forms.BooleanField(label=_("Send me the Scalingo newsletter"), required=False)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("fr", "Français")])
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("system", _("System")), ("light", _("Light")), ("dark", _("Dark"))]
    )


PASSWORD_MIN = 8
PASSWORD_MAX = 72


class PasswordChangeForm(forms.Form):
    current_password = current_password_field()
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "minlength": PASSWORD_MIN}),
        help_text=_(
            "8 to 72 characters. Length makes a password strong: a phrase of four or more unrelated words "
            "beats a short word with symbols. Don't reuse a password from another site."
        ),
    )
    new_password_confirmation = forms.CharField(
        label=_("Confirm the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, identity: tuple[str, str] = ("", ""), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.identity = identity

    def clean_new_password(self) -> str:
        value: str = self.cleaned_data["new_password"]
        if len(value) < PASSWORD_MIN:
            raise forms.ValidationError(_("Use at least %(min)d characters.") % {"min": PASSWORD_MIN})
        if len(value) > PASSWORD_MAX:
            raise forms.ValidationError(_("Use at most %(max)d characters.") % {"max": PASSWORD_MAX})
        if value.lower() in {part.lower() for part in self.identity if part}:
            raise forms.ValidationError(_("Don't use your username or email as your password."))
        return value

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        new, confirmation = data.get("new_password"), data.get("new_password_confirmation")
        if new and confirmation is not None and new != confirmation:
            self.add_error("new_password_confirmation", _("This does not match the new password."))
        if new and data.get("current_password") == new:
            self.add_error("new_password", _("The new password must differ from the current one."))
        return data


class TfaCodeForm(forms.Form):
    code = one_time_code_field(_("Code from your authenticator app"))

    def __init__(self, *args: Any, allow_recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_recovery = allow_recovery
        if allow_recovery:
            self.fields["code"].help_text = _("The 6-digit code, or one of your recovery codes.")
        else:
            self.fields["code"].help_text = _("The 6-digit code the app shows now. It changes every 30 seconds.")

    def clean_code(self) -> str:
        code = one_time_code(self.cleaned_data["code"], allow_recovery=self.allow_recovery)
        if code is None:
            raise forms.ValidationError(_("Enter the 6 digits the app shows."))
        return code


class SshKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("To recognise the key later, such as the computer it lives on."),
    )
    content = forms.CharField(
        label=_("Public key"),
        max_length=16384,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "none"}),
        help_text=_("The content of your .pub file, for example ~/.ssh/id_ed25519.pub. It starts with ssh-ed25519."),
    )

    def clean_content(self) -> str:
        from accounts import sshkeys

        try:
            key = sshkeys.parse(self.cleaned_data["content"])
        except sshkeys.InvalidKey as exc:
            raise forms.ValidationError(str(exc)) from None
        self.key = key
        return key.normalized


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_('Say what will use it, such as "CI deploys".'),
    )


class AccountDeletionForm(forms.Form):
    confirm_username = forms.CharField(
        label=_("Type your username to confirm"),
        max_length=100,
        widget=_text_input(autocomplete="off", autocapitalize="none"),
    )
    # Shown only when a region's apps could not be read: the person may go on after saying so.
    unchecked_regions_ok = forms.BooleanField(required=False)

    def __init__(self, *args: Any, username: str, unchecked_regions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username
        self.unchecked_regions = unchecked_regions or []
        if self.unchecked_regions:
            self.fields["unchecked_regions_ok"].label = _(
                "I have checked myself: my account owns no app in %(regions)s."
            ) % {"regions": ", ".join(self.unchecked_regions)}
        else:
            del self.fields["unchecked_regions_ok"]

    def clean_confirm_username(self) -> str:
        value: str = self.cleaned_data["confirm_username"].strip()
        if value != self.username:
            raise forms.ValidationError(
                _("This is not your username. Type %(username)s exactly.") % {"username": self.username}
            )
        return value

    def clean_unchecked_regions_ok(self) -> bool:
        value = bool(self.cleaned_data.get("unchecked_regions_ok"))
        if self.unchecked_regions and not value:
            raise forms.ValidationError(
                _("Check again, or confirm that your account owns no app in %(regions)s.")
                % {"regions": ", ".join(self.unchecked_regions)}
            )
        return value


class DeletionConfirmForm(forms.Form):
    """The token the platform emailed; ``deletion`` is the id of the request (from the session or
    from the email's link)."""

    deletion = forms.CharField(max_length=200, widget=forms.HiddenInput)
    token = forms.CharField(
        label=_("Token from the email"),
        max_length=500,
        widget=_text_input(autocomplete="off", autocapitalize="none"),
        help_text=_("Copy it from the confirmation email the platform sent you, or follow the email's link."),
    )

    def clean_token(self) -> str:
        value: str = self.cleaned_data["token"].strip()
        if not value or any(ch.isspace() for ch in value):
            raise forms.ValidationError(_("Paste the token exactly as it is in the email, without spaces."))
        return value
