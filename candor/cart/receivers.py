"""The one signal receiver of the cart, and why it is a signal at all.

Logins happen in three apps (the password page and API in accounts, SMS login, WeChat/QQ in
sociallogin); each calls ``django.contrib.auth.login``, which sends ``user_logged_in``. That
signal is the single point all of them share, so it is the thin trigger for merging a guest's
session cart into the member's — the rules live in ``services.cart_merge_session``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from candor.cart.services import cart_merge_session


def merge_guest_cart(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        cart_merge_session(request=request, user=user)
