"""Cache coherence only, no business logic: the cached category tree and merchant list
(``selectors.reference``) are dropped whenever a category or merchant row is written or
deleted, whoever writes it (admin, demo loader, another app's test fixtures). A signal is the
one hook that sees every such write without each writer having to remember the cache."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from candor.catalog.models import Category, Merchant


def _drop_reference(**_kwargs: Any) -> None:
    from candor.catalog.selectors import reference_changed

    reference_changed()


def connect() -> None:
    for model in (Category, Merchant):
        post_save.connect(_drop_reference, sender=model, dispatch_uid=f"catalog-ref-save-{model.__name__}")
        post_delete.connect(_drop_reference, sender=model, dispatch_uid=f"catalog-ref-del-{model.__name__}")
