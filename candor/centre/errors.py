"""The centre's domain errors: a stable code, a status and a message in the user's language."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import policy


class PurposeUnknown(CandorError):
    status = 404
    code = "purpose_not_found"

    def __init__(self) -> None:
        super().__init__(_("There is no permission of that name."))


class SwitchedElsewhere(CandorError):
    """Real-name and face login are turned on in their own flow; a guardian's consent by the
    guardian."""

    status = 409
    code = "switched_elsewhere"

    def __init__(self) -> None:
        super().__init__(_("This permission is not changed here; use the page where the feature is used."))


class PolicyNotAccepted(CandorError):
    """A consent given now would be recorded under a policy version the person has not accepted:
    they accept it first. Switching off (withdrawing) needs no acceptance and stays open."""

    status = 409
    code = "policy_not_accepted"

    def __init__(self, version: str = "") -> None:
        super().__init__(
            _("Please read and accept the updated privacy policy first; then you can switch this on."),
            extra={"version": version, "accept_url": reverse("privacy:accept")},
        )


class AlreadyAnswered(CandorError):
    """A prompt is answered once: after a "not now" only the person's own switch turns it on."""

    status = 409
    code = "already_answered"

    def __init__(self) -> None:
        super().__init__(
            _("You have already answered this. To change it, use the switch in Me → Privacy → Permissions.")
        )


def require_policy_accepted(user_id: int) -> None:
    """Raise ``PolicyNotAccepted`` while a significant policy version waits for the person."""
    pending = policy.needs_acceptance(user_id)
    if pending is not None:
        raise PolicyNotAccepted(pending.number)


class TagNotFound(CandorError):
    status = 404
    code = "tag_not_found"

    def __init__(self) -> None:
        super().__init__(_("This tag was not found."))


class OutsideServiceArea(CandorError):
    status = 422
    code = "outside_service_area"

    def __init__(self) -> None:
        super().__init__(
            _("Your position is outside the regions we deliver to. Please fill in the address by hand.")
        )


class ContestInvalid(CandorError):
    status = 400
    code = "contest_invalid"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(_("Please correct the form."), fields=fields)
