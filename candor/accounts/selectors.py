from __future__ import annotations

from typing import Any

from candor.accounts.models import User


def session_state(*, user: Any) -> dict[str, Any]:
    """What a client may know about the current session (no personal data beyond the name)."""
    if not getattr(user, "is_authenticated", False):
        return {"authenticated": False, "username": None, "display_name": None}
    assert isinstance(user, User)
    return {"authenticated": True, "username": user.username, "display_name": user.display_name}
