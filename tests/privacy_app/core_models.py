"""Test-only models that exercise every option of a declaration: each erasure mode, each kind
of retention rule, encrypted and clear fields, a blind index, recipients with allowlists."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from candor.privacy.crypto import EncryptedField


class Profile(models.Model):
    """Profile data: encrypted under the profile key, deleted at erasure."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    real_name = EncryptedField("real name", null=True)
    id_number = EncryptedField("ID number", null=True, blind_index="id_number_bidx")
    id_number_bidx = models.CharField(max_length=64, blank=True, db_index=True)
    gender = models.CharField("gender", max_length=16, blank=True)
    landline = models.CharField("landline", max_length=32, blank=True)
    bio = models.TextField("about me", blank=True)

    def __str__(self) -> str:
        return f"profile #{self.pk}"


class SearchEntry(models.Model):
    """Kept a limited time, then deleted; deleted at erasure."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    keyword = models.CharField("keyword", max_length=100)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"search #{self.pk}"


class Review(models.Model):
    """Public content others rely on: anonymized at erasure, the text stays without its author."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField("shown name", max_length=64)
    contact_email = models.EmailField("contact email", blank=True)
    body = models.TextField("review")

    def __str__(self) -> str:
        return f"review #{self.pk}"


class Deal(models.Model):
    """A transaction: kept restricted after erasure for its legal term, then anonymized."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("number", max_length=32, unique=True)
    amount_fen = models.PositiveIntegerField("amount (fen)")
    recipient_name = EncryptedField("recipient", null=True)
    recipient_phone = EncryptedField("recipient phone", null=True, blind_index="recipient_phone_bidx")
    recipient_phone_bidx = models.CharField(max_length=64, blank=True, db_index=True)
    address = EncryptedField("address", null=True)
    buyer_note = models.CharField("buyer's note", max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"deal {self.number}"

    @property
    def payment_subject(self) -> str:
        """What the payment institution shows on the statement: nothing about the person."""
        return f"Candor order {self.number}"


class Catalogue(models.Model):
    """About no one: a field whose name looks personal is listed as not personal."""

    name = models.CharField("product name", max_length=100)

    def __str__(self) -> str:
        return self.name
