"""Writes of search: the search history (C000-02, C001-04, C002-02).

A logged-in person's searches are rows of ``SearchHistory`` (one per distinct wording; the same
words again move to the top; at most ``HISTORY_MAX`` kept). A guest's searches live only in
their session (at most ``GUEST_HISTORY_MAX``) and go with it. Deleting one entry or all of them
really deletes the rows; each deletion leaves an audit event that names no search words.
Recording is not audited: the row *is* the person's own activity, and an audit copy would
outlive its deletion.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candor.privacy import audit, taxonomy
from candor.search.models import SearchHistory
from candor.search.text import MAX_QUERY_CHARS

HISTORY_MAX = 50
GUEST_HISTORY_MAX = 20
SESSION_KEY = "search_history"  # [[id, words, iso time], …], newest first
SESSION_SEQ = "search_history_seq"
MAX_ID = 2**63 - 1


def clean_query(raw: Any) -> str:
    """The words as kept: spaces collapsed, trimmed."""
    return " ".join(str(raw or "").split())[:MAX_QUERY_CHARS]


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def history_record(*, user: Any, session: Any, query: str, cookies: Any = None) -> None:
    """Remember a search: in the table for a logged-in person, in the session for a guest.

    A guest's words are kept only when their client keeps cookies: the request carries a
    stored session, or (``cookies`` given) the CSRF cookie every page sets. An app or script
    that sends no cookie would get a brand-new session row per search (a SELECT and an INSERT)
    that it never sends back; such a client keeps its own history. ``cookies=None`` (a caller
    without a request, e.g. a test) means "keeps cookies".
    """
    words = clean_query(query)
    if not words:
        return
    if _is_user(user):
        _user_record(user, words)
        return
    # No transaction for a guest: the session is saved by its middleware, not here.
    entries = [e for e in session.get(SESSION_KEY, []) if e[1] != words]
    stored = getattr(session, "session_key", True) is not None  # after get(): a real stored one
    if not stored and cookies is not None and settings.CSRF_COOKIE_NAME not in cookies:
        return
    seq = int(session.get(SESSION_SEQ, 0)) + 1
    session[SESSION_SEQ] = seq
    session[SESSION_KEY] = [[seq, words, timezone.now().isoformat()], *entries][:GUEST_HISTORY_MAX]


@transaction.atomic
def _user_record(user: Any, words: str) -> None:
    now = timezone.now()
    updated = SearchHistory.objects.filter(user_id=user.pk, query=words).update(searched_at=now)
    if not updated:
        # Two tabs searching the same words at once: the unique constraint keeps one row.
        with transaction.atomic():
            SearchHistory.objects.bulk_create(
                [SearchHistory(user_id=user.pk, query=words, searched_at=now)], ignore_conflicts=True
            )
        stale = list(
            SearchHistory.objects.filter(user_id=user.pk)
            .order_by("-searched_at", "-id")
            .values_list("id", flat=True)[HISTORY_MAX : HISTORY_MAX + 20]
        )
        if stale:
            SearchHistory.objects.filter(pk__in=stale).delete()


def _audit(user: Any, *, rows: int, operation: str) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target="search.searchhistory",
        fields=["query", "searched_at"],
        purpose=taxonomy.DISPLAY.code,
        detail={"operation": operation, "rows": rows},
    )


@transaction.atomic
def history_delete(*, user: Any, session: Any, entry_id: int) -> int:
    """Delete one of the person's own entries; 0 when there was none (another person's id
    counts as none)."""
    if isinstance(entry_id, bool) or not isinstance(entry_id, int) or not 0 < entry_id <= MAX_ID:
        return 0
    if not _is_user(user):
        entries = session.get(SESSION_KEY, [])
        kept = [e for e in entries if e[0] != entry_id]
        if len(kept) != len(entries):
            session[SESSION_KEY] = kept
        return len(entries) - len(kept)
    rows, _detail = SearchHistory.objects.filter(user_id=user.pk, pk=entry_id).delete()
    if rows:
        _audit(user, rows=rows, operation="delete_one")
    return rows


@transaction.atomic
def history_clear(*, user: Any, session: Any) -> int:
    """Delete the person's whole search history."""
    if not _is_user(user):
        rows = len(session.get(SESSION_KEY, []))
        session.pop(SESSION_KEY, None)
        session.pop(SESSION_SEQ, None)
        return rows
    rows, _detail = SearchHistory.objects.filter(user_id=user.pk).delete()
    if rows:
        _audit(user, rows=rows, operation="delete_all")
    return rows
