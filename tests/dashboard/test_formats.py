"""Dates, percentages and colons written the way each language writes them, in one style."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.template import engines
from django.utils import translation


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("en", date(2026, 12, 1), "1 December 2026 · 1 Dec 2026 · December 2026"),
        ("en", date(2025, 6, 11), "11 June 2025 · 11 Jun 2025 · June 2025"),
        ("fr", date(2026, 12, 1), "1er décembre 2026 · 1er déc. 2026 · décembre 2026"),
        ("fr", date(2025, 6, 11), "11 juin 2025 · 11 juin 2025 · juin 2025"),
    ],
)
def test_it_writes_dates_in_one_style_per_language(language, day, expected):
    source = '{{ d|date:"DATE_FORMAT" }} · {{ d|date:"SHORT_DATE_FORMAT" }} · {{ d|date:"YEAR_MONTH_FORMAT" }}'
    assert _render(source, language, d=day) == expected


def test_it_writes_times_in_the_site_time_zone_with_the_ordinal():
    moment = datetime(2026, 12, 1, 7, 21, tzinfo=UTC)  # 08:21 in Paris
    assert _render('{{ t|date:"DATETIME_FORMAT" }}', "en", t=moment) == "1 December 2026, 08:21"
    assert _render('{{ t|date:"DATETIME_FORMAT" }}', "fr", t=moment) == "1er décembre 2026 à 08:21"
    assert _render('{{ t|date:"H:i" }}', "fr", t=datetime(2026, 12, 1, 0, 5, tzinfo=UTC)) == "01:05"


def test_it_writes_percentages_per_language():
    source = "{% load billing_tags %}{{ v|vat_percent }} · {{ c|signed_percent }} · {{ none|signed_percent }}"
    assert _render(source, "en", v=200, c=Decimal("12.5"), none=None) == "20% · +12.5% · New"
    assert _render(source, "fr", v=200, c=Decimal("12.5"), none=None) == "20\u00a0% · +12,5\u00a0% · Nouvelle"


def test_it_writes_chart_months_short():
    source = "{% load billing_tags %}{{ m|short_month }}"
    assert _render(source, "en", m=date(2026, 7, 1)) == "Jul 26"
    assert _render(source, "fr", m=date(2026, 7, 1)) == "juil. 26"


@pytest.mark.django_db(transaction=True)
def test_the_usage_page_dates_follow_the_language(signed_in_as):
    with time_machine.travel(datetime(2026, 12, 15, 10, 0, tzinfo=UTC), tick=False):
        client = signed_in_as("teamadmin")
        english = client.get("/usage/").content.decode()
        client.cookies["dashboard_language"] = "fr"
        french = client.get("/usage/").content.decode()
    assert "From 1 December 2026 to 15 December 2026" in english
    assert "Du 1er décembre 2026 au 15 décembre 2026" in french
    for body in (english, french):
        assert not re.search(r"\b\d\d/\d\d/\d{4}\b", body)  # no US-style date anywhere


@pytest.mark.django_db(transaction=True)
def test_the_overview_puts_a_space_before_a_french_colon(signed_in_as):
    client = signed_in_as("teamadmin")
    client.cookies["dashboard_language"] = "fr"
    body = client.get("/").content.decode()
    apps = re.findall(r"<li>([^<]+)</li>", body[body.index('id="overview-usage"') :])
    assert apps and all(re.fullmatch(r"[\w-]+ : [\d\s\u202f\u00a0,]+\u00a0€", app) for app in apps), apps


@pytest.mark.django_db(transaction=True)
def test_a_french_sentence_that_starts_with_a_month_starts_with_a_capital(signed_in_as):
    client = signed_in_as("teamadmin")
    client.cookies["dashboard_language"] = "fr"
    body = client.get("/invoices/reports/").content.decode()
    sentence = re.search(r"<p>([^<]*) comparé à ", body)
    assert sentence and sentence.group(1)[0].isupper(), sentence
