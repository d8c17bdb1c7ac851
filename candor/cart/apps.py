from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "candor.cart"
    label = "cart"
    verbose_name = _("Cart")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from candor.cart import receivers

        # See receivers.py: login happens in three apps; this is the merge's only trigger.
        user_logged_in.connect(receivers.merge_guest_cart, dispatch_uid="candor.cart.merge_guest_cart")
