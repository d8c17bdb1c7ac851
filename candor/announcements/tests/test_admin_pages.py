"""Every back-office page of the announcements opens for the privacy officer (in both languages)
and stays closed to staff without the role."""

from __future__ import annotations

import pytest
from django.utils import timezone

from candor.accounts import cancellation
from candor.announcements.models import Incident, PolicyDraft
from candor.announcements.tests.conftest import PASSWORD, logged_in, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_officer_opens_every_page(officer_client, members, lang):
    now = timezone.now()
    draft = PolicyDraft.objects.create(number="2.0", effective_at=now, summary_zh="变", summary_en="Changed")
    incident = Incident.objects.create(
        title="t", what_happened="w", occurred_at=now, discovered_at=now, categories=["basic"], cause="c",
        consequences="h", measures="m", advice="a", contact="c",
    )  # fmt: skip
    row = cancellation.cancellation_request(user=members["cai"], password=PASSWORD)
    drafts, incidents = "/admin/announcements/policydraft/", "/admin/announcements/incident/"
    pages = [
        "/admin/announcements/", drafts, f"{drafts}add/", f"{drafts}{draft.pk}/change/",
        f"{drafts}{draft.pk}/preview/", f"{drafts}{draft.pk}/publish/",
        incidents, f"{incidents}add/", f"{incidents}{incident.pk}/change/",
        f"{incidents}{incident.pk}/affected/", f"{incidents}{incident.pk}/notify/",
        f"{incidents}{incident.pk}/report/",
        "/admin/announcements/incidentaffected/", "/admin/announcements/shutdownnotice/",
        "/admin/announcements/shutdownnotice/add/", "/admin/announcements/noticerun/",
        "/admin/accounts/cancellation/", f"/admin/accounts/cancellation/{row.pk}/change/",
        f"/admin/accounts/cancellation/{row.pk}/review/",
    ]  # fmt: skip
    for page in pages:
        assert officer_client.get(page, HTTP_ACCEPT_LANGUAGE=lang).status_code == 200, page
    change = officer_client.get(f"/admin/announcements/incident/{incident.pk}/change/").content.decode()
    assert 'id="incident-affected"' in change and 'id="incident-report"' in change


def test_staff_without_the_role_see_none_of_it(members):
    clerk = logged_in(staff("clerk", "customer_service"))
    for page in ["/admin/announcements/policydraft/", "/admin/announcements/incident/",
                 "/admin/announcements/shutdownnotice/add/", "/admin/accounts/cancellation/"]:  # fmt: skip
        assert clerk.get(page).status_code == 403, page
