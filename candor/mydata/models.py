"""A request for a copy of one's data (the right to a copy, PIPL art. 45; C003-18, C004-21).

The copy is made in the background (a person with years of orders and history should not wait
on a page) and kept only as long as the link works: a day by default. The zip itself is the
person's data, so it never lives in this table — a later export would copy an earlier one
into itself — nor under static or media: it is a file with a random name in a private
directory outside both, encrypted under the person's profile key (the one erasure destroys),
and removed when the link expires. This row keeps only where the job stands.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Preparing")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    language = models.CharField(_("language of the copy"), max_length=16, blank=True)
    # The download link's secret; the link also needs the owner's session.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The encrypted zip's file name in the private export directory; "" when there is none.
    archive = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set at request time too, so that a job that never finished still leaves at its term.
    expires_at = models.DateTimeField(_("link expires at"), db_index=True)
    downloaded_at = models.DateTimeField(_("last downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ("-requested_at", "-id")
        constraints = [
            # One job in progress per person: a second click returns the running one, and two
            # clicks at once cannot both start one (the database refuses the second row).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="mydata_one_export_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["user", "-requested_at"], name="mydata_export_user")]

    def __str__(self) -> str:
        return f"export #{self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status in self.ACTIVE
