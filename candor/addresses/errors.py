"""The address book's domain errors: each a stable code, a message in the user's language and,
where a field is at fault, the field's own message (web forms and the API show the same)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


class AddressInvalid(CandorError):
    status = 400
    code = "address_invalid"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        # A bad mobile number alone keeps the code every phone form answers with.
        if set(fields) == {"mobile"}:
            self.code = "invalid_phone"
        super().__init__(_("Please correct the address."), fields=fields)


class AddressLimitReached(CandorError):
    status = 400
    code = "address_limit"

    def __init__(self, limit: int) -> None:
        super().__init__(
            _("You can keep at most %(limit)s addresses. Delete one before adding another.")
            % {"limit": limit}
        )


class AddressNotFound(CandorError):
    # The same answer for an address that does not exist and one that belongs to someone else.
    status = 404
    code = "address_not_found"

    def __init__(self) -> None:
        super().__init__(_("This address was not found."))
