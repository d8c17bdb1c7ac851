"""The refusals of favorites, follows and shares: a stable code, a message in the user's
language and the field at fault. Something that does not exist and something that is not the
member's answer alike (404), so ids leak nothing."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


class _FieldError(CandorError):
    field = ""

    def __init__(self, message: Promise | str | None = None) -> None:
        text = message if message is not None else self.default
        super().__init__(text, fields={self.field: [str(text)]} if self.field else None)

    default: Promise | str = ""


class ProductNotFound(_FieldError):
    status, code, field, default = 404, "product_not_found", "product", _("This product was not found.")


class MerchantNotFound(_FieldError):
    status, code, field, default = 404, "merchant_not_found", "merchant", _("This shop was not found.")


class MemberNotFound(_FieldError):
    status, code, field, default = 404, "member_not_found", "member", _("This member was not found.")


class FollowSelf(_FieldError):
    status, code, field, default = 400, "follow_self", "member", _("You cannot follow yourself.")


class ChannelInvalid(_FieldError):
    status, code, field, default = 400, "channel_invalid", "channel", _("Select a valid sharing channel.")


class FavoriteNotFound(_FieldError):
    status, code, field, default = 404, "favorite_not_found", "product", _("This is not in your favorites.")


class FollowNotFound(_FieldError):
    status, code, field, default = 404, "follow_not_found", "", _("You do not follow this.")


class ShareNotFound(_FieldError):
    status, code, field, default = 404, "share_not_found", "", _("This share link was not found.")


class LimitReached(CandorError):
    status = 400
    code = "limit_reached"

    def __init__(self, limit: int) -> None:
        super().__init__(
            _("You can keep at most %(limit)s of these. Delete some before adding more.") % {"limit": limit}
        )


class FollowTargetInvalid(_FieldError):
    status, code, field, default = (
        400,
        "follow_target_invalid",
        "",
        _("Choose one shop or one member to follow."),
    )
