"""The test database is restored from a snapshot per test (tests/conftest.py): what one test writes
never reaches another. Each pair below writes a mark and first checks that no mark is there, so
whichever of the two runs second fails if the first one's write leaked."""

from __future__ import annotations

import pytest

MARK = "leak-check@example.com"


@pytest.mark.parametrize("turn", [1, 2])
def test_a_page_test_starts_from_the_seed_whatever_ran_before(upstream, turn):
    from sandbox.models import SshKey, User

    assert not User.objects.filter(email=MARK).exists()
    assert sorted(SshKey.objects.filter(user__username="demo-ordinary").values_list("name", flat=True)) == [
        "laptop",
        "workstation",
    ]
    User.objects.filter(username="demo-ordinary").update(email=MARK)
    SshKey.objects.filter(user__username="demo-ordinary").delete()


@pytest.mark.parametrize("turn", [1, 2])
def test_a_transactional_test_starts_from_an_empty_database(transactional_db, turn):
    from datetime import UTC, datetime

    from django.contrib.sessions.models import Session

    from sandbox.models import User

    assert User.objects.count() == 0
    assert Session.objects.count() == 0
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    User.objects.create(
        username=f"leak-{turn}", email=MARK, created_at=moment, free_trial_started_at=moment, free_trial_end_time=moment
    )
    Session.objects.create(session_key=f"leak{turn}", session_data="", expire_date="2030-01-01T00:00:00Z")
