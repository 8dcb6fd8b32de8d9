"""Django's ``date`` filter, with the French ordinal for the first of the month ("1er décembre").

Registered as a template builtin after Django's own, so every ``|date:`` in every template (and
in ``blocktranslate with``) gets it without a ``{% load %}``. The formats themselves live in
``dashboard/formats/<language>/formats.py``.
"""

from __future__ import annotations

from datetime import date as date_type
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    text: str = django_date(value, arg)
    if (
        text.startswith("1 ")
        and isinstance(value, date_type)
        and value.day == 1
        and (get_language() or "")[:2] == "fr"
        and str(get_format(arg or "DATE_FORMAT")).startswith("j")
    ):
        return "1er " + text[2:]
    return text
