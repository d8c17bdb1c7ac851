"""The account, its optional profile and the tokens of app clients.

Registration asks for the account name, a password, the person's own mobile number (verified
by an SMS code) and an e-mail address (verified by a link); the account name is the default
nickname (C001-02, C002-01, C004-03). Everything on ``Profile`` is optional and basic shopping
works without it (C003-18). The mobile number is encrypted under the person's profile key and
found at login through its blind index, so a copy of the database does not list phone numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candor.privacy.crypto import EncryptedField
from candor.verification.phones import digits_only


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
    phone = EncryptedField(
        _("mobile number"), null=True, blank=True, blind_index="phone_bidx", normalize=digits_only
    )
    phone_bidx = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    phone_verified_at = models.DateTimeField(_("mobile verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account per mobile number; an erased account blanks its index, so the same
            # number can register afresh as a new person.
            models.UniqueConstraint(
                fields=["phone_bidx"], condition=~Q(phone_bidx=""), name="accounts_user_phone_unique"
            )
        ]

    def __str__(self) -> str:
        # Shown to staff in breadcrumbs, history and the admin log (which outlives erasure):
        # nothing about the person, only the row.
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def display_name(self) -> str:
        return self.nickname or self.username


class Profile(models.Model):
    """ "我的—个人资料设置" (C003-18): all optional. Only nickname and avatar are public (C003-03)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    # The picture lives in the row (≤ 256 KB), so deleting the row deletes it everywhere and
    # pages show it as a data: URL without a file server.
    avatar = models.BinaryField(_("avatar"), null=True, blank=True, editable=True)
    avatar_type = models.CharField(max_length=32, blank=True)
    gender = models.CharField(_("gender"), max_length=16, blank=True, choices=Gender.choices)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    residence = models.CharField(_("place of residence"), max_length=128, blank=True)
    interests = models.CharField(_("interests"), max_length=256, blank=True)
    landline = models.CharField(_("landline"), max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"profile #{self.pk}"


class ApiToken(models.Model):
    """A bearer token of an app client. Only its SHA-256 is stored: a leaked table logs no one in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("device name"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("app token")
        verbose_name_plural = _("app tokens")

    def __str__(self) -> str:
        return f"token #{self.pk}"


class Cancellation(models.Model):
    """注销账号 (C002-20, C003-20): requested, then 48 hours of review in which the person may
    change their mind; after it the core erases the account (``tasks.cancellations_complete``)."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("In review")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # Completion is the erasure itself (the core's ErasureRecord); this row goes with it.

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cancellations")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_REVIEW)
    requested_at = models.DateTimeField(auto_now_add=True)
    review_until = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # Staff reviewing the request may stop the clock (``held_at``: nothing is erased until they
    # release or approve it) or move it (a later ``review_until``); the person reads the reason.
    held_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    hold_reason = models.CharField(_("reason given by staff"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("account cancellation")
        verbose_name_plural = _("account cancellations")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="in_review"), name="accounts_one_open_cancellation"
            )
        ]

    def __str__(self) -> str:
        return f"cancellation #{self.pk}"
