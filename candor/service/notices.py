"""The inbox messages a requester gets when their request is answered or refused, and the
daily reminder privacy officers get while requests are overdue or nearly due.

Written in the requester's own language (they read it later, not in the officer's session), and
without the answer itself: the message links to the request, where the answer is shown to its
requester only.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from candor.inbox import services as inbox
from candor.privacy.rights import subject_language
from candor.service.models import RightsRequest


def _send(request: RightsRequest, title: str, body: str) -> None:
    inbox.message_send(
        user_id=request.user_id, kind="request", title=title, body=body,
        link=reverse("service:detail", args=[request.pk]),
    )  # fmt: skip


def answered(request: RightsRequest) -> None:
    with translation.override(subject_language(request.user_id)):
        _send(
            request,
            _("Your request #%(number)s has been answered") % {"number": request.pk},
            _("Open the request to read the answer."),
        )


def refused(request: RightsRequest) -> None:
    with translation.override(subject_language(request.user_id)):
        _send(
            request,
            _("Your request #%(number)s could not be granted") % {"number": request.pk},
            _("Open the request to read the reason. You may complain to the authorities that protect "
              "personal information."),
        )  # fmt: skip


def staff_remind(*, now: datetime | None = None) -> int:
    """Tell each privacy officer how many requests are overdue or due within 3 days (counts
    only, nothing about anyone); returns how many were told. Nothing is sent when all is well."""
    from candor.service.selectors import due_soon, overdue
    from candor.staff.roles import PRIVACY_OFFICER

    late = RightsRequest.objects.filter(overdue(now)).count()
    soon = RightsRequest.objects.filter(due_soon(now)).count()
    if not late and not soon:
        return 0
    officers = get_user_model()._default_manager.filter(
        is_active=True, is_staff=True, groups__name=PRIVACY_OFFICER.name
    )
    link = reverse("admin:service_rightsrequest_changelist") + "?due=overdue"
    for officer in officers.distinct():
        with translation.override(officer.language or settings.LANGUAGE_CODE):
            title = _("Requests: %(late)d overdue, %(soon)d due within 3 days") % {"late": late, "soon": soon}
            inbox.message_send(
                user_id=officer.pk, kind="request", title=title,
                body=_("Open the queue of requests in the back office."), link=link, email=True,
            )  # fmt: skip
    return officers.distinct().count()
