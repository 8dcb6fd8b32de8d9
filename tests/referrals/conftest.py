"""Referral tests start in English whatever a previous test's request activated in this thread."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    with translation.override("en"):
        yield
