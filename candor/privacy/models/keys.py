from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """A subject's data key for one retention class, stored only wrapped by a master key.

    ``subject_id`` is a plain integer, not a foreign key: the key's life is governed by
    erasure and legal terms, never by a cascade. Destroying ``wrapped`` (crypto-shredding)
    makes every copy of the data it encrypted unreadable, backups included.
    """

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        RESTRICTED = "restricted", _("restricted to legal purposes")
        SHREDDED = "shredded", _("destroyed")

    subject_id = models.BigIntegerField(_("subject"))
    key_class = models.CharField(_("key class"), max_length=16)
    wrapped = models.BinaryField(_("wrapped key"), null=True)
    master_version = models.CharField(_("master key version"), max_length=16)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    restricted_until = models.DateTimeField(_("restricted until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    shredded_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            models.UniqueConstraint(fields=["subject_id", "key_class"], name="privacy_datakey_one_per_class")
        ]
        indexes = [models.Index(fields=["state", "restricted_until"], name="privacy_datakey_expiry")]

    def __str__(self) -> str:
        return f"key #{self.pk} ({self.key_class})"
