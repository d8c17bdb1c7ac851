"""Page views counted with the visitor's consent: which page, from which page, when — and the
random analytics id of the browser, so that visits can be counted per browser.

Nothing else: no IP address, no user agent, no user id. Paths are stored as the page's URL
pattern (``/orders/<str:number>/``), never the concrete path, so an order number, a share token
or a query string never reaches the table; with the id being random, a row cannot be tied to a
person without the cookie on their own device. That is de-identified personal information
(PIPL art. 73), still personal information: ``personal_data.py`` declares it under the
"de-identified analytics" purpose, kept 90 days.

``account_id`` is always 0, "no account" (the convention of ``candor.verification``): the
declaration needs a subject column, and page views deliberately have none. A person's export
and erasure therefore reach no page view; withdrawing consent deletes the page views of the
browser that withdraws (its id is in the request), and the 90-day term removes the rest.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageView(models.Model):
    # Indexed so that a rights request's lookup by account finds nothing at once, not by a scan.
    account_id = models.BigIntegerField(default=0, editable=False, db_index=True)
    aid = models.CharField(_("analytics id"), max_length=32, db_index=True)
    path = models.CharField(_("page"), max_length=200)
    referrer = models.CharField(_("previous page"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")

    def __str__(self) -> str:
        return self.path
