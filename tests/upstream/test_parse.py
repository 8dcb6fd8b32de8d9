"""Readers for the quirks of upstream-api.md §8."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from dashboard.money import Money
from dashboard.upstream import errors, parse
from dashboard.upstream.types import created_token_from, token_from, user_from

SEED_USER = {
    "id": "us-d13d3065-e7fa-4b1a-827a-ce1c92415f9c",
    "created_at": "2016-06-02T17:07:39.000Z",
    "email": "documentation@scalingo.com",
    "username": "doc-account",
    "uuid": "us-d13d3065-e7fa-4b1a-827a-ce1c92415f9c",
    "company": "Scalingo",
    "location": "Strasbourg",
    "fullname": "Étienne Michon",
    "tos_accepted": True,
    "flags": {},
    "limits": {"free_trial_apps": "10"},
    "referral_url": "https://sclng.io/r/81e5168dadc0bfe0",
    "referral_clicks": 23,
    "free_trial_started_at": "2016-06-02T17:07:39.000Z",
    "free_trial_end_time": "2016-07-02T23:07:00.000Z",
    "suspended_at": None,
    "suspension_reason": None,
    "email_newsletter": False,
}


def test_it_parses_the_documented_user():
    user = user_from(SEED_USER)
    assert user.id == "us-d13d3065-e7fa-4b1a-827a-ce1c92415f9c"
    assert user.created_at == datetime(2016, 6, 2, 17, 7, 39, tzinfo=UTC)
    assert user.limits == {"free_trial_apps": "10"}
    assert user.is_suspended is False
    assert user.has_password is True
    assert user.github is None


def test_it_recognises_a_github_account():
    user = user_from({**SEED_USER, "github": {"username": "octo", "email": "octo@github.test"}})
    assert user.has_password is False
    assert user.github.email == "octo@github.test"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-06-02T17:07:39.000Z", datetime(2016, 6, 2, 17, 7, 39, tzinfo=UTC)),
        ("2016-09-01T15:02:09.013+02:00", datetime(2016, 9, 1, 15, 2, 9, 13000, tzinfo=timezone(timedelta(hours=2)))),
        (
            "2015-01-13T09:20:31.123+01:00",
            datetime(2015, 1, 13, 9, 20, 31, 123000, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2020-10-02T08:04:37", datetime(2020, 10, 2, 8, 4, 37, tzinfo=UTC)),
        (None, None),
        ("", None),
    ],
)
def test_it_reads_every_timestamp_format(text, expected):
    assert parse.timestamp(text) == expected


def test_it_reads_day_and_month_formats():
    assert parse.day("2020-08-01") == date(2020, 8, 1)
    assert parse.month_year("8/2020") == date(2020, 8, 1)
    assert parse.month_year("10/2020") == date(2020, 10, 1)
    assert parse.month_year("10/20") == date(2020, 10, 1)
    with pytest.raises(errors.MalformedResponse):
        parse.month_year("13/2020")
    with pytest.raises(errors.MalformedResponse):
        parse.timestamp("yesterday")


def test_it_accepts_numbers_as_numeric_strings():
    assert parse.integer("165") == 165
    assert parse.integer(23) == 23
    assert parse.integer(None) == 0
    with pytest.raises(errors.MalformedResponse):
        parse.integer("lots")
    with pytest.raises(errors.MalformedResponse):
        parse.integer(True)


def test_it_reads_money_in_every_unit():
    assert parse.money_cents(2200) == Money(Decimal("22"))
    assert parse.money_euros(15.0) == Money(Decimal("15.0"))
    assert parse.money_euros("15.0") == Money(Decimal("15.0"))
    assert parse.money_euros(None) == Money(Decimal("0"))
    assert Money.from_rate("0.0001666667", 43200).rounded().amount == Decimal("7.20")
    with pytest.raises(errors.MalformedResponse):
        parse.money_euros("free")


def test_it_fixes_protocol_relative_urls(settings):
    settings.SCALINGO_API_URL = "https://api.osc-fr1.scalingo.com"
    assert parse.protocol_relative("//cdn.scalingo.com/a.svg") == "https://cdn.scalingo.com/a.svg"
    settings.SCALINGO_API_URL = "http://127.0.0.1:8001/sandbox/api/osc-fr1"
    assert parse.protocol_relative("//127.0.0.1:8001/a.svg") == "http://127.0.0.1:8001/a.svg"
    assert parse.protocol_relative("javascript:alert(1)") is None
    assert parse.protocol_relative(None) is None


@pytest.mark.parametrize("key", ["prev_page", "previous_page"])
def test_it_reads_either_previous_page_key(key):
    body = {"meta": {"pagination": {"current_page": 2, "next_page": 3, key: 1, "total_pages": 3, "total_count": 50}}}
    pagination = parse.Pagination.from_meta(body, count=20)
    assert (pagination.previous_page, pagination.current_page, pagination.next_page) == (1, 2, 3)
    assert pagination.total_count == 50


def test_it_derives_neighbours_when_the_meta_lacks_them():
    body = {"meta": {"pagination": {"current_page": 1, "total_pages": 2, "total_count": 30}}}
    pagination = parse.Pagination.from_meta(body, count=20)
    assert (pagination.previous_page, pagination.next_page) == (None, 2)
    assert parse.Pagination.from_meta({}, count=3).total_count == 3


def test_it_reads_quoted_pagination_placeholders():
    body = {
        "meta": {
            "pagination": {
                "current_page": "1",
                "next_page": None,
                "previous_page": None,
                "total_pages": "1",
                "total_count": "2",
            }
        }
    }
    pagination = parse.Pagination.from_meta(body, count=2)
    assert (pagination.current_page, pagination.total_count, pagination.next_page) == (1, 2, None)


def test_it_parses_tokens_and_hides_secrets_from_repr():
    token = token_from({"id": "t", "name": "CLI", "created_at": "2016-06-02T17:07:39.000Z", "last_used_at": None})
    assert token.last_used_at is None
    created = created_token_from({"id": "t", "name": "CLI", "token": "tk-us-secret"})
    assert created.secret == "tk-us-secret"
    assert "tk-us-secret" not in repr(created)
    with pytest.raises(errors.MalformedResponse):
        created_token_from({"id": "t", "name": "CLI"})


def test_it_refuses_a_missing_root_key():
    with pytest.raises(errors.MalformedResponse):
        parse.root({"users": []}, "user")


def test_it_names_the_field_that_did_not_match():

    with pytest.raises(errors.MalformedResponse) as caught:
        user_from({"id": "us-1", "email": "a@b.c", "username": ["not", "text"]})
    assert caught.value.field == "user.username"


def test_it_tolerates_odd_types_where_no_page_needs_them_and_notes_them():

    body = {"id": "us-1", "email": "a@b.c", "username": "ann", "referral_clicks": "a lot", "flags": "x", "limits": []}
    with parse.tolerated() as noted:
        user = user_from(body)
    assert user.username == "ann"
    assert user.referral_clicks is None
    assert user.flags == {} and user.limits == {}
    assert [t.field for t in noted] == ["user.referral_clicks", "user.flags", "user.limits"]
