"""The account. Registration details (phone, real name, devices) arrive with the accounts issue;
the foundation fixes the user model early because Django cannot swap it later."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # Chinese names do not split into first and last; the account name is the default
    # nickname (C001-02) and nothing else about the person is required.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    nickname = models.CharField(_("nickname"), max_length=64, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Shown to staff in breadcrumbs, history and the admin log (which outlives erasure):
        # nothing about the person, only the row.
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def display_name(self) -> str:
        return self.nickname or self.username
