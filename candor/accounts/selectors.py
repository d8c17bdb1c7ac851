from __future__ import annotations

import base64
from typing import Any

from candor.accounts.models import Profile, User
from candor.accounts.web import email_verified
from candor.identity import selectors as identity
from candor.privacy.crypto import lookup
from candor.verification.phones import InvalidPhone, normalize_cn_mobile


def session_state(*, user: Any) -> dict[str, Any]:
    """What a client may know about the current session (no personal data beyond the name)."""
    if not getattr(user, "is_authenticated", False):
        return {"authenticated": False, "username": None, "display_name": None}
    assert isinstance(user, User)
    return {"authenticated": True, "username": user.username, "display_name": user.display_name}


def login_name(identifier: str) -> str:
    """The account name to authenticate: people log in with their account name or mobile."""
    try:
        phone = normalize_cn_mobile(identifier)
    except InvalidPhone:
        return identifier.strip()
    found = User.objects.filter(**lookup(User, "phone", phone)).values_list("username", flat=True).first()
    return found or identifier.strip()


def avatar_url(profile: Profile | None) -> str | None:
    if profile is None or not profile.avatar:
        return None
    return f"data:{profile.avatar_type};base64,{base64.b64encode(bytes(profile.avatar)).decode('ascii')}"


def profile_or_none(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def profile_of(*, user: User) -> dict[str, Any]:
    profile = profile_or_none(user)
    return {
        "username": user.username,
        "nickname": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "email_verified": email_verified(user),
        "gender": profile.gender if profile else "",
        "birthday": profile.birthday if profile else None,
        "residence": profile.residence if profile else "",
        "interests": profile.interests if profile else "",
        "landline": profile.landline if profile else "",
        "avatar": avatar_url(profile),
    }


def public_profile(*, user: User) -> dict[str, Any]:
    return {"nickname": user.display_name, "avatar": avatar_url(profile_or_none(user))}


def guardian_gate(user: User) -> bool:
    return identity.guardian_gate_required(user)
