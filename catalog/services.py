"""Where the catalog pages get their data.

The catalog is public: categories, providers and the standard sizes are fetched *anonymously* and
cached for ``CATALOG_CACHE_SECONDS`` in the read cache's public space (``public:<name>``), shared by
every visitor. A signed-in person's sizes can include sizes enabled for their account only, so that
list is fetched with their bearer and cached under their user id, never in the shared entries. A
page view therefore costs no upstream call while the cache is warm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.utils.text import slugify

from dashboard import readcache
from dashboard.caller import Caller
from dashboard.concurrency import Reads, Results
from dashboard.upstream import catalog, errors
from dashboard.upstream.catalog import AddonCategory, AddonProvider, ContainerSize

T = TypeVar("T")

CACHE_VERSION = "v1"
# The one read cache's public space (``public:<name>``) and, for a person's sizes, theirs.
PUBLIC_CATEGORIES = f"catalog:{CACHE_VERSION}:categories"
PUBLIC_PROVIDERS = f"catalog:{CACHE_VERSION}:providers"
PUBLIC_SIZES = f"catalog:{CACHE_VERSION}:sizes"
ACCOUNT_SIZES = f"catalog:{CACHE_VERSION}:sizes"


def _cached(who: readcache.Who, name: str, fetch: Callable[[], T]) -> T:
    # When an entry expires, one thread per key asks the upstream; the others wait for its answer.
    return readcache.cached(who, name, fetch, settings.CATALOG_CACHE_SECONDS, single_flight=True)


def public_categories() -> list[AddonCategory]:
    return _cached(readcache.PUBLIC, PUBLIC_CATEGORIES, lambda: catalog.addon_category_list(auth=None))


def public_providers() -> list[AddonProvider]:
    return _cached(readcache.PUBLIC, PUBLIC_PROVIDERS, lambda: catalog.addon_provider_list(auth=None))


def public_sizes() -> list[ContainerSize]:
    return _cached(readcache.PUBLIC, PUBLIC_SIZES, lambda: catalog.container_size_list(auth=None))


def account_sizes(*, caller: Caller) -> list[ContainerSize]:
    return _cached(caller, ACCOUNT_SIZES, lambda: catalog.container_size_list(auth=caller.auth))


@dataclass(frozen=True)
class CategoryTab:
    slug: str
    category: AddonCategory
    providers: list[AddonProvider]


@dataclass(frozen=True)
class CatalogData:
    """Everything the catalog pages show; a part the upstream could not give carries its error."""

    signed_in: bool
    categories: list[AddonCategory] = field(default_factory=list)
    providers: list[AddonProvider] = field(default_factory=list)
    providers_error: errors.UpstreamError | None = None
    sizes: list[ContainerSize] = field(default_factory=list)
    sizes_error: errors.UpstreamError | None = None
    # Signed in, but the account's own sizes could not be read: the standard ones are shown.
    account_sizes_missing: bool = False
    account_size_ids: frozenset[str] = frozenset()


def catalog_reads(*, caller: Caller | None) -> Reads[CatalogData]:
    """Categories, providers and sizes, from the cache or the upstream; with a caller (someone is
    signed in), the account's own sizes too. The view gathers the calls with the page's others."""
    calls: dict[str, Callable[[], Any]] = {
        "categories": public_categories,
        "providers": public_providers,
        "sizes": public_sizes,
    }
    if caller is not None:
        calls["account_sizes"] = lambda: account_sizes(caller=caller)
    return Reads(calls=calls, build=lambda results: catalog_data(results, signed_in=caller is not None))


def catalog_data(results: Results, *, signed_in: bool) -> CatalogData:
    """The catalog from the reads' results: a part that failed carries its error."""
    own = results.get("account_sizes")
    categories = results["categories"]
    providers = results["providers"]
    public = results["sizes"]
    sizes: list[ContainerSize] | BaseException = public
    account_sizes_missing = False
    account_size_ids: frozenset[str] = frozenset()
    if signed_in:
        if isinstance(own, list):
            sizes = own
            if isinstance(public, list):
                account_size_ids = frozenset(s.id for s in own) - {s.id for s in public}
        else:
            account_sizes_missing = isinstance(public, list)
    return CatalogData(
        signed_in=signed_in,
        categories=_value(categories, []),
        providers=_value(providers, []),
        providers_error=_error(providers),
        sizes=_value(sizes, []),
        sizes_error=_error(sizes),
        account_sizes_missing=account_sizes_missing,
        account_size_ids=account_size_ids,
    )


def _value(result: Any, default: T) -> T:
    return default if isinstance(result, BaseException) else result


def _error(result: Any) -> errors.UpstreamError | None:
    if isinstance(result, errors.UpstreamError):
        return result
    if isinstance(result, BaseException):
        raise result
    return None


def _same_category(a: AddonCategory, b: AddonCategory) -> bool:
    # The published examples give one category two ids (§8.8): the name decides when ids differ.
    return a.id == b.id or a.name.casefold() == b.name.casefold()


def category_tabs(categories: list[AddonCategory], providers: list[AddonProvider]) -> list[CategoryTab]:
    """One tab per category that has providers, by position; categories only named inside a
    provider get a tab too."""
    known = list(categories)
    for provider in providers:
        if provider.category and not any(_same_category(provider.category, c) for c in known):
            known.append(provider.category)
    known.sort(key=lambda c: (c.position, c.name))
    tabs: list[CategoryTab] = []
    slugs: set[str] = set()
    for category in known:
        members = [p for p in providers if p.category and _same_category(p.category, category)]
        if not members:
            continue
        slug = slugify(category.name) or category.id
        if slug in slugs:
            slug = category.id
        slugs.add(slug)
        tabs.append(CategoryTab(slug=slug, category=category, providers=members))
    return tabs


def selected_tab(tabs: list[CategoryTab], wanted: str) -> CategoryTab | None:
    """The tab named in ``?category=`` (its slug, or the category id)."""
    for tab in tabs:
        if wanted in (tab.slug, tab.category.id):
            return tab
    return None
