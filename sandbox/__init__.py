"""A local imitation of the Scalingo platform API (AUTH, REGIONAL and BILLING hosts).

Mounted under ``/sandbox/`` when ``SANDBOX_ENABLED`` is true; see ``sandbox/urls.py`` for the
layout and ``sandbox/demo.py`` for the seeded accounts. Tests drive it in-process through
``sandbox.faults``, ``sandbox.ratelimit`` and ``sandbox.requestlog``.
"""
