"""The centre's domain errors: a stable code, a status and a message in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


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
