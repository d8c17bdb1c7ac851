from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "candor.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from candor.accounts.cancellation import register_blocker
        from candor.orders.selectors import cancellation_blockers

        # An account with unfinished orders cannot be cancelled yet (C002-20, C003-20).
        register_blocker(cancellation_blockers)
