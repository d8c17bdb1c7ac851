"""Why the current code is touching personal data: the processing purpose, held per context.

Business code states its purpose around reads that are not its everyday function —
``with processing(taxonomy.PERSONALIZATION): ...`` in the recommender, ``processing(
taxonomy.LEGAL_RETENTION)`` in the code that answers a court — and the privacy core reads it
where a rule depends on it: a restricted record (kept only because a law says so, PIPL art. 47)
opens only for a purpose in ``taxonomy.LEGAL_PURPOSES``. No purpose stated means no such
read: the check fails closed.

A ``ContextVar`` rather than a thread-local, so the purpose follows async code and never leaks
from one request or task into the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from candor.privacy.taxonomy import Purpose

_purpose: ContextVar[Purpose | None] = ContextVar("candor_processing_purpose", default=None)


@contextmanager
def processing(purpose: Purpose) -> Iterator[Purpose]:
    """Run the block for ``purpose``; the previous purpose returns when it ends."""
    token = _purpose.set(purpose)
    try:
        yield purpose
    finally:
        _purpose.reset(token)


def current_purpose() -> Purpose | None:
    return _purpose.get()
