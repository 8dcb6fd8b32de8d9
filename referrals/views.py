from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest, signin_required
from dashboard.concurrency import page_gather
from dashboard.upstream import errors
from referrals import services


@never_cache
@require_GET
@signin_required
def referrals_page(request: AuthenticatedRequest) -> HttpResponse:
    """The program is explained even when the stats cannot be read: only that part shows an error."""
    reads = services.referral_reads(caller=request.caller)
    results = page_gather(request, **reads.calls)  # with the banner's reads; ``user`` is made once
    try:
        referral = reads.build(results)
    except errors.UpstreamError as exc:
        status = 429 if isinstance(exc, errors.RateLimited) else 503
        response = render(request, "referrals/referrals.html", {"referral": None, "referral_error": exc}, status=status)
        if isinstance(exc, errors.RateLimited):
            response["Retry-After"] = str(exc.retry_after_seconds or 60)
        return response
    return render(request, "referrals/referrals.html", {"referral": referral})
