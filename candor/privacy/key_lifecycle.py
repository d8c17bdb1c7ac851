"""The life of a subject's data keys: destroyed on erasure (``shred``), kept for legal purposes
only while transaction records run their term (``restrict``, then ``shred_expired``), and
re-wrapped under a new master key (``rotate``). Each change is one transaction with its audit
event, and drops the key from memory (``keyring.forget``, ``keyring.evict_unwrapped``).
``crypto`` re-exports these; callers use them from there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from candor.privacy import audit, keyring
from candor.privacy.datamap import KeyClass
from candor.privacy.models import DataKey

State = DataKey.State


def shred(subject_id: int, key_class: KeyClass, *, actor_id: int | None = None) -> bool:
    """Destroy a subject's key: what it encrypted becomes unreadable, in every copy. False when
    there was no live key."""
    return _set_key_state(
        subject_id, key_class, actor_id=actor_id, detail={"op": "shred"},
        changes={"wrapped": None, "state": State.SHREDDED, "shredded_at": timezone.now()},
    )  # fmt: skip


def restrict(subject_id: int, key_class: KeyClass, *, until: datetime, actor_id: int | None = None) -> None:
    """Keep a key for legal purposes only, until ``until`` (then ``shred_expired`` destroys it)."""
    _set_key_state(
        subject_id, key_class, actor_id=actor_id, detail={"op": "restrict", "until": until.isoformat()},
        changes={"state": State.RESTRICTED, "restricted_until": until},
    )  # fmt: skip


@transaction.atomic
def _set_key_state(
    subject_id: int,
    key_class: KeyClass,
    *,
    actor_id: int | None,
    changes: dict[str, Any],
    detail: dict[str, str],
) -> bool:
    """Apply ``changes`` to the subject's live key of this class, audited, and drop the key from
    memory; False when there is no live key."""
    live = DataKey.objects.filter(subject_id=subject_id, key_class=str(key_class)).exclude(
        state=State.SHREDDED
    )
    pk = live.select_for_update().values_list("pk", flat=True).first()
    if pk is None:
        return False
    DataKey.objects.filter(pk=pk).update(**changes)
    audit.record(
        action=audit.Action.KEY, actor_id=actor_id, subject_id=subject_id, target=f"privacy.datakey:{pk}",
        detail={**detail, "key_class": str(key_class)},
    )  # fmt: skip
    keyring.forget([pk])
    keyring.evict_unwrapped()
    return True


@transaction.atomic
def shred_expired(*, now: datetime) -> int:
    """Destroy, in one statement, every restricted key whose legal term ended before ``now``."""
    count = DataKey.objects.filter(state=State.RESTRICTED, restricted_until__lt=now).update(
        wrapped=None, state=State.SHREDDED, shredded_at=now
    )
    if count:
        audit.record(action=audit.Action.KEY, detail={"op": "shred_expired", "count": count})
        keyring.forget()
        keyring.evict_unwrapped()
    return count


def rotate(*, dry_run: bool = False) -> int:
    """Re-wrap every data key still under an older master key with the newest one; returns
    how many. The data keys themselves — and so every ciphertext and blind index — stay as
    they are. Each batch is locked so a concurrent ``shred`` is never undone by writing back
    a key it just destroyed."""
    newest = keyring.masters()[0]
    stale = DataKey.objects.exclude(master_version=newest).filter(wrapped__isnull=False)
    if dry_run:
        return stale.count()
    done, after = 0, 0
    while True:
        with transaction.atomic():
            batch = list(stale.select_for_update().filter(pk__gt=after).order_by("pk")[: keyring.BATCH])
            if not batch:
                break
            for row in batch:
                assert row.wrapped is not None
                secret = keyring.unwrap(bytes(row.wrapped), row.master_version, row.subject_id, row.key_class)
                row.wrapped, row.master_version = keyring.wrap(secret, row.subject_id, row.key_class)
            DataKey.objects.bulk_update(batch, ["wrapped", "master_version"])
        done, after = done + len(batch), batch[-1].pk
    if done:
        audit.record(
            action=audit.Action.KEY, detail={"op": "rotate", "count": done, "master_version": newest}
        )
    return done
