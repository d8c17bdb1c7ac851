"""Reference data of the catalog: the category tree and the merchants, small and rarely
changed. They are cached (dropped by ``reference_changed()`` on every edit) and kept per
process, checked against the cache's version token — once per request (a list page asks
three or four times; with Redis each check is a round trip), on every call outside one — so
an edit by any process or a cleared cache is seen from the next request on, an edit by this
process at once, and a list page unpickles nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

from candor.catalog.errors import CategoryNotFound, MerchantNotFound
from candor.catalog.models import Category, Merchant, pick

_CACHE_KEY = "catalog:reference:v2"
_VERSION_KEY = "catalog:reference:version"
_CACHE_SECONDS = 300


@dataclass(frozen=True)
class CategoryNode:
    id: int
    parent_id: int | None
    slug: str
    name_zh: str
    name_en: str
    position: int

    def name(self, lang: str | None) -> str:

        return pick(lang, self.name_zh, self.name_en)


@dataclass(frozen=True)
class MerchantRef:
    id: int
    slug: str
    name_zh: str
    name_en: str
    kind: str
    is_active: bool

    def name(self, lang: str | None) -> str:

        return pick(lang, self.name_zh, self.name_en)


@dataclass(frozen=True)
class Reference:
    categories: dict[int, CategoryNode]
    children: dict[int | None, list[int]]
    category_by_slug: dict[str, int]
    merchants: dict[int, MerchantRef]
    merchant_by_slug: dict[str, int]

    def descendants(self, category_id: int) -> list[int]:
        """The category and every category below it."""
        out, todo = [], [category_id]
        while todo:
            current = todo.pop()
            out.append(current)
            todo.extend(self.children.get(current, []))
        return out

    def ancestors(self, category_id: int) -> list[CategoryNode]:
        """From the root down to the category itself (breadcrumbs)."""
        path: list[CategoryNode] = []
        current: int | None = category_id
        while current is not None and current in self.categories and len(path) < 32:
            node = self.categories[current]
            path.append(node)
            current = node.parent_id
        return list(reversed(path))

    @property
    def inactive_merchant_ids(self) -> list[int]:
        return [m.id for m in self.merchants.values() if not m.is_active]


def _load_reference() -> Reference:
    categories = {
        c.id: CategoryNode(c.id, c.parent_id, c.slug, c.name_zh, c.name_en, c.position)
        for c in Category.objects.order_by("position", "id")
    }
    children: dict[int | None, list[int]] = {}
    for node in categories.values():
        children.setdefault(node.parent_id, []).append(node.id)
    merchants = {
        m.id: MerchantRef(m.id, m.slug, m.name_zh, m.name_en, m.kind, m.is_active)
        for m in Merchant.objects.order_by("id")
    }
    return Reference(
        categories=categories,
        children=children,
        category_by_slug={c.slug: c.id for c in categories.values()},
        merchants=merchants,
        merchant_by_slug={m.slug: m.id for m in merchants.values()},
    )


class _Local:
    """This process's copy of the reference, so a request unpickles no category tree: the
    shared cache holds the reference and a version token; the copy is reused while the
    cache's token still matches it. Any process's edit, and a cleared cache, change or drop
    the token, so no copy outlives either. One (token, reference) pair, replaced whole, so
    a thread never reads one copy's token with another's reference."""

    copy: tuple[str, Reference] | None = None


_local = _Local()

# The version token this thread checked during the request it is serving: a request sees
# one reference throughout. Absent outside a request (a task, the shell): every call checks.
_checked = Local()


@receiver(request_started)
def _request_started(**_: Any) -> None:
    _checked.token = None


@receiver(request_finished)
def _request_finished(**_: Any) -> None:
    if hasattr(_checked, "token"):
        del _checked.token


def reference() -> Reference:
    copy = _local.copy
    in_request = hasattr(_checked, "token")
    if copy is not None and in_request and _checked.token == copy[0]:
        return copy[1]  # checked earlier in this request, and not dropped by this process since
    token = cache.get(_VERSION_KEY)
    if copy is not None and token == copy[0]:
        ref = copy[1]
    else:
        stored = cache.get(_CACHE_KEY) if token is not None else None
        if stored is not None and stored[0] == token:
            ref = stored[1]
        else:
            ref, token = _load_reference(), uuid.uuid4().hex
            cache.set_many({_CACHE_KEY: (token, ref), _VERSION_KEY: token}, _CACHE_SECONDS)
        _local.copy = (token, ref)
    if in_request:
        _checked.token = token
    return ref


def reference_changed() -> None:
    """Drop the cached categories and merchants (after an edit of either), here and in every
    other process (their copies no longer match the token)."""
    cache.delete_many([_CACHE_KEY, _VERSION_KEY])
    _local.copy = None


def fresh_on_miss(found: Any) -> Reference:
    """The cached reference, or a freshly loaded one when it lacks what was asked for (a row
    written by bulk_create or by another process since the cache was filled)."""
    ref = reference()
    if found(ref):
        return ref
    reference_changed()
    return reference()


def category_by_slug(slug: str) -> CategoryNode:
    slug = str(slug or "")[:64]
    ref = fresh_on_miss(lambda r: slug in r.category_by_slug)
    category_id = ref.category_by_slug.get(slug)
    if category_id is None:
        raise CategoryNotFound()
    return ref.categories[category_id]


def merchant_by_slug(slug: str, *, active_only: bool = True) -> MerchantRef:
    slug = str(slug or "")[:64]
    ref = fresh_on_miss(lambda r: slug in r.merchant_by_slug)
    merchant_id = ref.merchant_by_slug.get(slug)
    if merchant_id is None or (active_only and not ref.merchants[merchant_id].is_active):
        raise MerchantNotFound()
    return ref.merchants[merchant_id]


@dataclass
class TreeNode:
    node: CategoryNode
    children: list[TreeNode] = field(default_factory=list)


def category_tree() -> list[TreeNode]:
    ref = reference()

    def build(parent: int | None, depth: int) -> list[TreeNode]:
        if depth > 32:
            return []
        return [TreeNode(ref.categories[i], build(i, depth + 1)) for i in ref.children.get(parent, [])]

    return build(None, 0)
