"""What Candor keeps about identity checks and minors, and what it deliberately does not.

``RealNameVerification`` keeps the verified name and ID number (encrypted; the number also as
an HMAC blind index so that one number verifies at most one account) with the authority's
verdict, time and request reference. A failed check keeps the verdict only: the submitted name
and number are blanked, since Candor has no purpose for a pair the authority rejected.
``RealNameAttempt`` counts attempts per day (the look-up costs money and must not become an
oracle for guessing whose number is whose) and holds no name or number.
``FaceVerification`` keeps the outcome of a face comparison — pass or fail, similarity, time,
reference — and never the image, a template or any feature of the face.
``Guardianship`` records a minor's guardian step: for a child under 14, the guardian's verified
consent (phone and relation encrypted, as a child's data is sensitive); for 14–17, that the
guardian notice was shown and acknowledged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candor.identity import idnumbers
from candor.privacy.crypto import EncryptedField


class RealNameVerification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("being checked")
        VERIFIED = "verified", _("verified")
        MISMATCH = "mismatch", _("name and ID number do not match")
        FAILED = "failed", _("could not be checked")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="realname", verbose_name=_("account")
    )
    name = EncryptedField(_("real name"), null=True, blank=True)
    id_number = EncryptedField(
        _("ID number"), null=True, blank=True, blind_index="id_number_bidx", normalize=idnumbers.normalize
    )
    id_number_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    result_code = models.CharField(_("authority result code"), max_length=64, blank=True)
    authority_ref = models.CharField(_("authority request reference"), max_length=64, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("real-name verification")
        verbose_name_plural = _("real-name verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_bidx"],
                condition=Q(status="verified") & ~Q(id_number_bidx=""),
                name="identity_one_account_per_id_number",
            )
        ]

    def __str__(self) -> str:
        return f"real-name #{self.pk}"  # nothing personal: admin titles and logs print it


class RealNameAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16)
    authority_ref = models.CharField(_("authority request reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("real-name attempt")
        verbose_name_plural = _("real-name attempts")

    def __str__(self) -> str:
        return f"real-name attempt #{self.pk}"


class FaceVerification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    passed = models.BooleanField(_("passed"), default=False)
    similarity = models.FloatField(_("similarity"), null=True, blank=True)
    result_code = models.CharField(_("authority result code"), max_length=64, blank=True)
    authority_ref = models.CharField(_("authority request reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("face verification")
        verbose_name_plural = _("face verifications")

    def __str__(self) -> str:
        return f"face verification #{self.pk}"

    # What the authority receives (the declared Share): the verified name and number, and the
    # image held in memory for the one call. None of them is a column of this table.
    _image_base64: str | None = None

    @property
    def image_base64(self) -> str | None:
        return self._image_base64

    @property
    def verified_name(self) -> str | None:
        row = RealNameVerification.objects.filter(user_id=self.user_id).first()
        return row.name if row else None

    @property
    def verified_id_number(self) -> str | None:
        row = RealNameVerification.objects.filter(user_id=self.user_id).first()
        return row.id_number if row else None


class Guardianship(models.Model):
    class Kind(models.TextChoices):
        CONSENT = "consent", _("guardian consent (under 14)")
        NOTICE = "notice", _("guardian notice (14 to 17)")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CONSENTED = "consented", _("guardian consented")
        REFUSED = "refused", _("guardian refused")
        ACKNOWLEDGED = "acknowledged", _("notice acknowledged")

    class Relation(models.TextChoices):
        PARENT = "parent", _("parent")
        LEGAL_GUARDIAN = "legal_guardian", _("legal guardian")
        OTHER = "other", _("other guardian")

    child = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianship",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    guardian_phone = EncryptedField(_("guardian's mobile number"), null=True, blank=True)
    relation = EncryptedField(_("relation to the child"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")

    def __str__(self) -> str:
        return f"guardianship #{self.pk}"
