from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "candor.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from candor.accounts.cancellation import register_blocker
        from candor.payments.selectors import cancellation_blockers

        # Money still on its way back to the person blocks cancelling the account.
        register_blocker(cancellation_blockers)
