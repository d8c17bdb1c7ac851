"""Where a person corrects or deletes each kind of data themselves (C003-18/19, C004-21).

The pages belong to the apps that hold the data; this module only knows, per declared model,
which of them to link to. A data set with no page of its own for deleting it gets an "ask for
deletion" button instead, which files a request to the privacy officer. Removing an order from
"my orders" hides it from the list only: the law keeps the record (E-Commerce Law art. 31),
and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise

    def url(self) -> str:
        return page(self.url_name)


_PROFILE = Link("accounts:profile", _("Correct in my profile"))
_ADDRESSES = Link("addresses:list", _("Correct in my addresses"))

# Model label (lower case) -> where to correct it.
CORRECT: dict[str, Link] = {
    "accounts.user": _PROFILE,
    "accounts.profile": _PROFILE,
    "account.emailaddress": _PROFILE,
    "addresses.address": _ADDRESSES,
    "identity.realnameverification": Link("identity:realname", _("Verify again")),
    "identity.faceverification": Link("identity:face", _("Verify again")),
    "identity.guardianship": Link("identity:guardian", _("Change the guardian's details")),
}

# Model label (lower case) -> where to delete it oneself.
DELETE: dict[str, Link] = {
    "accounts.user": Link("accounts:cancel", _("Cancel my account")),
    "addresses.address": Link("addresses:list", _("Delete in my addresses")),
    "search.searchhistory": Link("search:results", _("Delete my search history")),
    "catalog.browsinghistory": Link("catalog:history", _("Delete my browsing history")),
    "orders.order": Link("orders:list", _("Delete from my order list")),
    "social.favorite": Link("social:favorites", _("Delete my favorites")),
    "social.follow": Link("social:follows", _("Unfollow")),
    "social.sharelink": Link("social:shares", _("Delete my share links")),
    "inbox.message": Link("inbox:list", _("Delete my messages")),
    "cart.cartitem": Link("cart:detail", _("Empty my cart")),
    "socialaccount.socialaccount": Link("sociallogin:bindings", _("Unbind WeChat or QQ")),
}


def page(url_name: str) -> str:
    """The path of another app's page, or "" when that app is not mounted."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def nav() -> dict[str, str]:
    """Pages of other apps the "my data" pages link to."""
    return {"centre_url": page("centre:home"), "requests_url": page("service:list")}


def correct_link(key: str) -> tuple[str, str]:
    """(url, label) of the page where data set ``key`` is corrected; ("", "") if none."""
    link = CORRECT.get(key)
    url = link.url() if link else ""
    return (url, str(link.label)) if link and url else ("", "")


def delete_link(key: str) -> tuple[str, str]:
    """(url, label) of the page where the person deletes data set ``key``; ("", "") if none."""
    link = DELETE.get(key)
    url = link.url() if link else ""
    return (url, str(link.label)) if link and url else ("", "")
