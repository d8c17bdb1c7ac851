"""Errors of third-party login and binding (the API and the pages show their message)."""

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


class NotBound(CandorError):
    status = 404
    code = "not_bound"

    def __init__(self) -> None:
        super().__init__(_("This platform is not bound to your account."))


class BoundElsewhere(CandorError):
    status = 409
    code = "bound_to_other_account"

    def __init__(self) -> None:
        super().__init__(
            _("This WeChat or QQ account is already bound to another Candor account. Unbind it there first.")
        )


class AlreadyBound(CandorError):
    status = 409
    code = "already_bound"

    def __init__(self) -> None:
        super().__init__(
            _("Your account is already bound to another account on this platform. Unbind it first.")
        )


class LastLoginMethod(CandorError):
    status = 409
    code = "last_login_method"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This is the only way to log in to your account: set a password or bind "
                "another platform before you unbind it."
            )
        )


class UnknownPlatform(CandorError):
    status = 404
    code = "unknown_platform"

    def __init__(self) -> None:
        super().__init__(_("Unknown login platform."))


class PlatformLoginFailed(CandorError):
    status = 400
    code = "platform_login_failed"

    def __init__(self) -> None:
        super().__init__(_("The platform did not confirm this login. Please try again."))
