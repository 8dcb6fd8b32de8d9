from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _


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


class OtpForm(forms.Form):
    otp = forms.CharField(
        label=_("Authentication code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )

    def clean_otp(self) -> str:
        value: str = re.sub(r"\s+", "", self.cleaned_data["otp"])
        if not re.fullmatch(r"\d{6}|[A-Za-z0-9-]{8,64}", value):
            raise forms.ValidationError(_("Enter the 6-digit code, or a recovery code."))
        return value
