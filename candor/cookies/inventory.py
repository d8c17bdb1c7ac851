"""Every cookie Candor sets, with what it is for, what kind it is, how long it lives and who sets
it (C002-12, C004-16). The cookie page and the API show this list and nothing else.

Names and lifetimes are read from the settings each time, so the list cannot drift from what
the framework actually does (a changed ``SESSION_COOKIE_AGE`` changes the published lifetime;
``CSRF_USE_SESSIONS`` removes the CSRF cookie from the list). ``tests/test_inventory.py`` walks
a real visit (home, cart, login, language, the banner) and fails on any cookie set that is not
listed here, and on any listed cookie the visit never sets.

Only essential cookies exist before the visitor chooses; the one analytics cookie is set only
with consent (``selectors.analytics_allowed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from candor.cookies import jar


class Kind(StrEnum):
    ESSENTIAL = "essential"  # the site does not work without it; no consent needed
    ANALYTICS = "analytics"  # only with the visitor's consent

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self])


_KIND_LABELS = {Kind.ESSENTIAL: _("Essential"), Kind.ANALYTICS: _("Analytics")}


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: Promise
    kind: Kind
    lifetime: int | None  # seconds; None: until the browser is closed
    set_by: Promise

    @property
    def lifetime_label(self) -> str:
        return lifetime_label(self.lifetime)


def lifetime_label(seconds: int | None) -> str:
    if seconds is None:
        return gettext("until you close the browser")
    if seconds < 86400:
        return gettext("less than a day")
    days = -(-int(seconds) // 86400)  # a part of a day counts as a day: never shorter than it is
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _message_cookie() -> bool:
    """Whether flash messages travel in a cookie (the default ``FallbackStorage`` tries one first)."""
    storage = import_string(settings.MESSAGE_STORAGE)
    return any(issubclass(cls, CookieStorage) for cls in getattr(storage, "storage_classes", (storage,)))


def cookies() -> list[Cookie]:
    """The inventory, essential cookies first."""
    items = [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            _("Keeps you logged in, and keeps a guest's cart from page to page."),
            Kind.ESSENTIAL,
            None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
            _("Candor, when you log in or put goods in your cart"),
        ),
    ]
    if not settings.CSRF_USE_SESSIONS:
        items.append(
            Cookie(
                settings.CSRF_COOKIE_NAME,
                _("Protects your forms from being sent by another website (cross-site request forgery)."),
                Kind.ESSENTIAL,
                settings.CSRF_COOKIE_AGE,
                _("Candor, on any page with a form"),
            )
        )
    items.append(
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            _("Remembers the language you chose (Chinese or English)."),
            Kind.ESSENTIAL,
            settings.LANGUAGE_COOKIE_AGE,
            _("Candor, when you switch the language"),
        )
    )
    if _message_cookie():
        items.append(
            Cookie(
                CookieStorage.cookie_name,
                _("Carries a one-time notice (such as “Added to your cart”) to the next page, then goes."),
                Kind.ESSENTIAL,
                None,
                _("Candor, after a form that ends with a notice"),
            )
        )
    items += [
        Cookie(
            jar.CONSENT_COOKIE,
            _("Remembers your choice about optional cookies, so that the banner does not ask again."),
            Kind.ESSENTIAL,
            jar.MAX_AGE,
            _("Candor, when you choose on the cookie banner or this page"),
        ),
        Cookie(
            jar.AID_COOKIE,
            _(
                "A random number that lets Candor's statistics count page views of one browser "
                "together; it says nothing about who you are and is never linked to your account."
            ),
            Kind.ANALYTICS,
            jar.MAX_AGE,
            _("Candor, only after you accept analytics"),
        ),
    ]
    return items


def names(kind: Kind | None = None) -> set[str]:
    return {c.name for c in cookies() if kind is None or c.kind is kind}
