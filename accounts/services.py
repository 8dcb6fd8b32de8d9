"""Sign-in, sign-out and the signed-in account, through the upstream client."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from accounts import session as account_session
from dashboard import readcache
from dashboard.caller import Caller
from dashboard.concurrency import Reads, Results, value
from dashboard.regions import PerRegion, per_region
from dashboard.upstream import account, errors, tokens, users
from dashboard.upstream.types import CreatedToken, Token, User

logger = logging.getLogger("dashboard.accounts")
T = TypeVar("T")


def _first_match(user_agent: str, markers: tuple[tuple[str, str], ...], default: str) -> str:
    return next((name for marker, name in markers if marker in user_agent), default)


def _browser_name(user_agent: str) -> str:
    markers = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
    return _first_match(user_agent, (*markers, ("Safari/", "Safari")), "a browser")


def _system_name(user_agent: str) -> str:
    markers = (
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    )
    return _first_match(user_agent, markers, "")


def dashboard_token_name(*, host: str, user_agent: str) -> str:
    """``Dashboard - <host> - <browser> on <system> - <date and time>``: each sign-in's token is
    told apart in the token list (and in the platform's own tools), and revoked at sign-out."""
    host = host.split(":")[0]
    system = _system_name(user_agent)
    client = _browser_name(user_agent) + (f" on {system}" if system else "")
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")  # as the token list shows times
    return f"Dashboard - {host} - {client} - {when}"[:100]


def signin_with_token(*, session: SessionBase, api_token: str) -> User:
    bearer = tokens.token_exchange(api_token=api_token)
    user = _user_for(bearer)
    _start(session, api_token=api_token, bearer=bearer, user=user, token_id=None, created=False)
    logger.info("signed in", extra={"action": "signin", "method": "api-token", "user_id": user.id})
    return user


def signin_with_password(*, session: SessionBase, login: str, password: str, otp: str | None, token_name: str) -> User:
    created = tokens.token_create_with_login(login=login, password=password, otp=otp, name=token_name)
    bearer = tokens.token_exchange(api_token=created.secret)
    user = _user_for(bearer)
    _start(
        session,
        api_token=created.secret,
        bearer=bearer,
        user=user,
        token_id=created.token.id,
        created=True,
    )
    logger.info("signed in", extra={"action": "signin", "method": "password", "user_id": user.id})
    return user


class _FixedBearer:
    def __init__(self, bearer: tokens.Bearer) -> None:
        self._value = bearer.value

    def bearer(self) -> str:
        return self._value

    def reexchange(self, refused: str | None = None) -> str:
        raise errors.Unauthorized("The new bearer was refused.")


def _user_for(bearer: tokens.Bearer) -> User:
    return users.user_self(auth=_FixedBearer(bearer))


def _start(
    session: SessionBase,
    *,
    api_token: str,
    bearer: tokens.Bearer,
    user: User,
    token_id: str | None,
    created: bool,
) -> None:
    # A new session id at sign-in (no fixation), and nothing carried over from before.
    session.cycle_key()
    for key in list(session.keys()):
        del session[key]
    account_session.start(
        session,
        api_token=api_token,
        bearer=bearer,
        user_id=user.id,
        username=user.username,
        email=user.email,
        token_id=token_id,
        created_token=created,
    )
    readcache.store(user.id, "self", user)
    # The sign-in wrote to the token list (a new token, or a pasted one's last use): another
    # session's cached copy of it is stale now.
    readcache.forget(user.id, "tokens")


def signout(*, session: SessionBase) -> None:
    """Revoke the token this session created at password sign-in, then forget everything."""
    current = account_session.account(session)
    if current is not None and current.created_token and current.token_id:
        try:
            tokens.token_delete(auth=account_session.SessionAuth(session), token_id=current.token_id)
        except errors.NotFound:
            pass
        except (errors.Unauthorized, errors.UpstreamError) as exc:
            logger.warning(
                "could not revoke the session token",
                extra={"action": "signout", "error": type(exc).__name__},
            )
    if current is not None:
        readcache.forget(current.user_id, "self", "tokens")
        logger.info("signed out", extra={"action": "signout", "user_id": current.user_id})
    session.flush()


def current_user(*, caller: Caller) -> User:
    """The signed-in user, reused for a few seconds per user (and only for that user).

    A page reads it as ``user`` in its one gather, the name the account banner gives it too, so the
    layout and the view share one fetch."""
    return readcache.cached(caller, "self", lambda: users.user_self(auth=caller.auth))


# --- Account pages: profile, authentication, SSH keys, API tokens, deletion --------------------

TFA_PENDING = "tfa_pending_uri"


def _account(session: SessionBase) -> account_session.Account:
    current = account_session.account(session)
    if current is None:
        raise errors.Unauthorized("Not signed in.")
    return current


def _log(caller: Caller, message: str, action: str, **extra: object) -> None:
    logger.info(message, extra={"action": action, "user_id": caller.user_id, **extra})


def profile_update(*, caller: Caller, session: SessionBase, fields: dict[str, Any], action: str) -> User:
    """``PUT /users/account`` with only the given fields; the session and cache follow the change."""
    user = users.user_update(auth=caller.auth, fields=fields)
    current = _account(session)
    readcache.store(caller, "self", user)
    if user.username != current.username or user.email != current.email:
        account_session.update_identity(session, username=user.username, email=user.email)
    _log(caller, "profile updated", action, fields=sorted(fields))
    return user


def preferences_save(*, caller: Caller, language: str, theme: str) -> bool:
    """Keep language and theme upstream (``user.preferences``, a sandbox-declared extension).

    Returns False when the upstream refuses the field: the caller then keeps them locally only.
    Failures other than a refusal (429, 5xx) are raised, so nothing is claimed as saved.
    """
    try:
        user = users.user_update(auth=caller.auth, fields={"preferences": {"locale": language, "theme": theme}})
    except (errors.ValidationFailed, errors.BadRequest):
        _log(caller, "preferences kept locally", "preferences-save", where="local")
        return False
    readcache.forget(caller, "self")
    kept = user.preferences is not None and user.preferences.get("locale") == language
    _log(caller, "preferences saved", "preferences-save", where="upstream" if kept else "local")
    return kept


def password_change(*, caller: Caller, current: str, new: str, confirmation: str) -> None:
    users.user_update(
        auth=caller.auth,
        fields={"current_password": current, "password": new, "password_confirmation": confirmation},
    )
    readcache.forget(caller, "self")
    _log(caller, "password changed", "password-change")


def tfa_status(*, caller: Caller) -> account.TfaStatus:
    return readcache.cached(caller, "tfa", lambda: account.tfa_show(auth=caller.auth))


def tfa_start(*, caller: Caller, session: SessionBase) -> str:
    """Begin enrolment; the otpauth URI is kept encrypted in the session until confirmed."""
    try:
        enrolment = account.tfa_enrol(auth=caller.auth)
    finally:
        readcache.forget(caller, "tfa")
    session[TFA_PENDING] = account_session.encrypt(enrolment.uri)
    _log(caller, "2FA enrolment started", "tfa-enrol")
    return enrolment.uri


def tfa_pending_uri(*, session: SessionBase) -> str | None:
    value = session.get(TFA_PENDING)
    if not value:
        return None
    try:
        return account_session.decrypt(value)
    except errors.Unauthorized:
        session.pop(TFA_PENDING, None)
        return None


def tfa_confirm(*, caller: Caller, session: SessionBase, code: str) -> account.TfaActivation:
    try:
        activation = account.tfa_validate(auth=caller.auth, code=code)
    finally:
        readcache.forget(caller, "tfa")
    session.pop(TFA_PENDING, None)
    readcache.forget(caller, "self")
    _log(caller, "2FA enabled", "tfa-enable")
    return activation


def tfa_cancel(*, session: SessionBase) -> None:
    session.pop(TFA_PENDING, None)


def tfa_turn_off(*, caller: Caller, session: SessionBase, code: str) -> None:
    try:
        account.tfa_disable(auth=caller.auth, code=code)
    finally:
        readcache.forget(caller, "tfa")
    session.pop(TFA_PENDING, None)
    readcache.forget(caller, "self")
    _log(caller, "2FA disabled", "tfa-disable")


def ssh_keys(*, caller: Caller) -> list[account.SshKey]:
    return readcache.cached(caller, "keys", lambda: account.key_list(auth=caller.auth))


def ssh_key_add(*, caller: Caller, name: str, content: str) -> account.SshKey:
    try:
        key = account.key_create(auth=caller.auth, name=name, content=content)
    finally:
        readcache.forget(caller, "keys")
    _log(caller, "SSH key added", "ssh-key-add")
    return key


def ssh_key_remove(*, caller: Caller, key_id: str) -> None:
    try:
        account.key_delete(auth=caller.auth, key_id=key_id)
    finally:
        readcache.forget(caller, "keys")
    _log(caller, "SSH key removed", "ssh-key-delete")


def api_tokens(*, caller: Caller) -> list[Token]:
    return readcache.cached(caller, "tokens", lambda: tokens.token_list(auth=caller.auth))


def session_token_id(*, session: SessionBase) -> str | None:
    """The token this session signed in with, by the id the platform gave when the dashboard
    created it at password sign-in. A pasted token's id is unknown (nothing in the contract maps a
    secret to an id; the bearer's claims are undocumented)."""
    return _account(session).token_id


def _session_token_dead(session: SessionBase) -> bool:
    """After a renew or delete: does the session's own API token still exchange? When the session's
    token id is unknown (a pasted token), this is how the dashboard learns it was that one."""
    try:
        tokens.token_exchange(api_token=account_session.api_token(session))
    except errors.Unauthorized:
        return True
    except errors.UpstreamError:
        return False  # no answer is not a refusal: the session goes on
    return False


def api_token_add(*, caller: Caller, name: str) -> CreatedToken:
    try:
        created = tokens.token_create(auth=caller.auth, name=name)
    finally:
        readcache.forget(caller, "tokens")
    _log(caller, "API token created", "api-token-create")
    return created


def api_token_renew(*, caller: Caller, session: SessionBase, token_id: str) -> CreatedToken:
    """Renew; when it is this session's own token, the session switches to the new secret."""
    known = session_token_id(session=session)
    own = token_id == known
    try:
        renewed = tokens.token_renew(auth=caller.auth, token_id=token_id)
    finally:
        readcache.forget(caller, "tokens")
    if known is None:
        own = _session_token_dead(session)
    if own:
        bearer = tokens.token_exchange(api_token=renewed.secret)
        account_session.replace_api_token(session, api_token=renewed.secret, bearer=bearer)
    _log(caller, "API token renewed", "api-token-renew", own=own)
    return renewed


def api_token_remove(*, caller: Caller, session: SessionBase, token_id: str) -> bool:
    """Delete a token. Returns True when it was this session's own: the session then ends."""
    known = session_token_id(session=session)
    own = token_id == known
    try:
        tokens.token_delete(auth=caller.auth, token_id=token_id)
    finally:
        readcache.forget(caller, "tokens")
    if known is None:
        own = _session_token_dead(session)
    _log(caller, "API token deleted", "api-token-delete", own=own)
    if own:
        readcache.forget(caller, "self")
        session.flush()
    return own


@dataclass(frozen=True)
class OwnedApps:
    """Apps the user owns, across every region; ``complete`` is False when a region did not answer."""

    apps: list[account.App]
    regions: list[account.Region]
    failed_regions: list[str]
    error: errors.UpstreamError | None = None

    @property
    def complete(self) -> bool:
        return self.error is None and not self.failed_regions

    @property
    def deletable(self) -> bool:
        return self.complete and not self.apps

    @property
    def confirmable(self) -> bool:
        """No owned app where the apps could be read; regions that could not be read are named, and
        the person may go on after confirming them (a region down must not block deletion for ever)."""
        return self.error is None and not self.apps

    @property
    def region_names(self) -> list[str]:
        """What a person reads: display names, never the region objects (their API addresses)."""
        return [region.display_name for region in self.regions]

    def region_name(self, name: str) -> str:
        return next((r.display_name for r in self.regions if r.name == name), name)

    @property
    def owned(self) -> list[tuple[account.App, str]]:
        """Each owned app with the display name of its region."""
        return [(app, self.region_name(app.region)) for app in self.apps]


def _owned_by(app: account.App, user: User) -> bool:
    # Apps carry a 24-hex owner id while users have us-… ids (§8.9): fall back on name and email.
    if app.owner is None:
        return False
    if app.owner.id and app.owner.id == user.id:
        return True
    if app.owner.username and app.owner.username == user.username:
        return True
    return bool(app.owner.email) and app.owner.email.lower() == user.email.lower()


def owned_apps_reads(*, caller: Caller, fresh: bool = False) -> Reads[OwnedApps]:
    """Check every region from AUTH ``/regions`` for apps this user owns (collaborations don't count).

    Each region's app list is a read of the page's one gather (``regions.per_region``), and so is
    the user (``user``, the name the page gives it too). The page reuses each region's app list for
    a few seconds; ``fresh`` (the deletion itself) always asks again."""
    auth = caller.auth

    def apps_of(region: account.Region) -> list[account.App]:
        if fresh:
            return account.app_list(auth=auth, region=region)
        return readcache.cached(caller, f"apps:{region.name}", lambda: account.app_list(auth=auth, region=region))

    reads = per_region(auth=auth, name="apps", read=apps_of)
    return Reads(
        calls={**reads.calls, "user": lambda: current_user(caller=caller)},
        build=lambda results: _owned_apps(reads, results),
    )


def _owned_apps(reads: Reads[PerRegion], results: Results) -> OwnedApps:
    try:
        per_region = reads.build(results)
    except errors.UpstreamError as exc:
        return OwnedApps(apps=[], regions=[], failed_regions=[], error=exc)
    if not per_region:
        return OwnedApps(apps=[], regions=[], failed_regions=[], error=errors.MalformedResponse("no regions"))
    user: User = value(results["user"])
    apps: list[account.App] = []
    failed: list[str] = []
    for region, result in per_region:
        if isinstance(result, Exception):
            failed.append(region.display_name)
            logger.warning(
                "owned-apps check failed for a region",
                extra={"action": "owned-apps-check", "region": region.name, "error": type(result).__name__},
            )
            continue
        apps.extend(app for app in result if _owned_by(app, user))
    regions = [region for region, _ in per_region]
    return OwnedApps(apps=sorted(apps, key=lambda a: (a.region, a.name)), regions=regions, failed_regions=failed)


DELETION_PENDING = "account_deletion"


class DeletionNeedsEveryRegion(Exception):
    """The platform offers only the immediate ``DELETE /users``, which also deletes owned apps: it is
    used only when every region confirmed that the account owns none."""


def account_deletion_start(*, caller: Caller, session: SessionBase, check: OwnedApps) -> bool:
    """Ask the platform to delete the account as its own client does: it emails a confirmation
    token. Returns True when an email was sent (the session remembers the request), False when the
    platform has no such flow (404) and the account was deleted at once with ``DELETE /users``."""
    try:
        started = users.user_deletion_request(auth=caller.auth)
    except errors.NotFound:
        if not check.deletable:
            raise DeletionNeedsEveryRegion from None
        account_delete(caller=caller, session=session)
        return False
    session[DELETION_PENDING] = {"id": started.id}
    logger.info("account deletion requested", extra={"action": "account-delete-request", "user_id": caller.user_id})
    return True


def account_deletion_pending(*, session: SessionBase) -> dict[str, str | None] | None:
    pending = session.get(DELETION_PENDING)
    return pending if isinstance(pending, dict) else None


def account_deletion_cancel(*, session: SessionBase) -> None:
    session.pop(DELETION_PENDING, None)


def account_deletion_confirm(*, caller: Caller, session: SessionBase, deletion_id: str, token: str) -> None:
    """``POST /users/delete/:id/confirm`` with the emailed token, then the session ends."""
    users.user_deletion_confirm(auth=caller.auth, deletion_id=deletion_id, token=token)
    readcache.forget(caller, "self")
    logger.info("account deleted", extra={"action": "account-delete", "user_id": caller.user_id})
    session.flush()


def account_delete(*, caller: Caller, session: SessionBase) -> None:
    """``DELETE REGIONAL /users`` (the documented call, only when the confirmation flow is not
    offered), then the session ends. The caller has checked owned apps in every region."""
    users.user_delete(auth=caller.auth)
    readcache.forget(caller, "self")
    logger.info("account deleted", extra={"action": "account-delete", "user_id": caller.user_id})
    session.flush()
