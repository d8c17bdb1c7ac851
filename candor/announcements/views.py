"""公告 (/notices/): the announced end of the service, if any, and every policy change, each
linking to the archived version (``privacy:version``) and the archive (``privacy:versions``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from candor.announcements import selectors
from candor.privacy import policy


def notices_page(request: HttpRequest) -> HttpResponse:
    lang = get_language()
    shutdown = selectors.active_shutdown()
    context = {
        "shutdown": shutdown,
        "shutdown_message": shutdown.message(lang) if shutdown else "",
        "versions": [(v, policy.summary(v, lang)) for v in selectors.policy_versions()],
    }
    return render(request, "announcements/list.html", context)
