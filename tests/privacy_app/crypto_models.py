"""Test-only models with encrypted fields: a profile-class ``Person``, a transaction-class
``Receipt``, a ``Customer`` whose subject is the row itself, and ``PlainPerson``, the
unencrypted twin the benchmark compares against."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from candor.privacy.crypto import EncryptedField


def digits_only(value: str) -> str:
    """Blind-index normalization: "138 1234 8000" and "13812348000" find the same row."""
    return "".join(ch for ch in value if ch.isdigit())


class Person(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = EncryptedField(null=True, blank=True, blind_index="phone_bidx", normalize=digits_only)
    phone_bidx = models.CharField(max_length=64, blank=True, db_index=True)
    id_number = EncryptedField(null=True, blank=True)
    nickname = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"person #{self.pk}"  # nothing personal: admin titles and logs print it


class Receipt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient_phone = EncryptedField(null=True, blank=True)
    amount_fen = models.IntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"receipt {self.pk}"


class Customer(models.Model):
    """Its own subject (``subject="pk"``): encrypted before it has an id."""

    email = EncryptedField(blank=True, default="", blind_index="email_bidx")
    email_bidx = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"customer {self.pk}"


class PlainPerson(models.Model):
    # Nullable text on purpose: the twin mirrors Person column for column.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.TextField(null=True, blank=True)  # noqa: DJ001
    phone_bidx = models.CharField(max_length=64, blank=True, db_index=True)
    id_number = models.TextField(null=True, blank=True)  # noqa: DJ001
    nickname = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.nickname or f"plain person {self.pk}"
