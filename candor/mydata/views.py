"""The "my data" pages under 我的 → 隐私: what is held about me (by category), download a copy,
and who received my data. Each view calls a selector or a service and renders.

The copy is prepared in the background: the page shows a ``<progress>`` bar in a fragment that
htmx reloads every second while the job runs (no script of our own, nothing inline for the
CSP); without htmx the page still works by reloading it. The download answers the owner's
session only — anyone else's link is a 404, like one that does not exist — and after expiry a
410 page that says so and offers a new copy.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candor.errors import CandorError
from candor.mydata import ledger, links, selectors, services


def _home(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    context = {"categories": selectors.my_data(user=request.user), **links.nav()}
    return render(request, "mydata/home.html", context, status=status)


@login_required
@require_GET
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@login_required
@require_POST
def ask_deletion(request: HttpRequest) -> HttpResponse:
    try:
        filed = services.deletion_request(
            user=request.user,
            data_set=request.POST.get("data_set", "")[:100],
            category=request.POST.get("category", "")[:32],
        )
    except CandorError as error:
        messages.error(request, str(error.message))
        return _home(request, status=error.status)
    due = timezone.localtime(filed.due_at).date().isoformat()
    messages.success(request, _("Your deletion request was filed. We will answer by %(due)s.") % {"due": due})
    return redirect("service:detail", request_id=filed.pk)


def _export_context(request: HttpRequest) -> dict[str, Any]:
    job = selectors.export_latest(user=request.user)
    return {
        **links.nav(),
        "job": job,
        "downloadable": bool(job and job.status == job.Status.READY and job.expires_at > timezone.now()),
        "download_url": services.download_path(job) if job else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.export_request(user=request.user, language=get_language())
        if not request.headers.get("HX-Request"):
            return redirect("mydata:export")
        return render(request, "mydata/_export_status.html", _export_context(request))
    return render(request, "mydata/export.html", _export_context(request))


@login_required
@require_GET
@never_cache
def export_status(request: HttpRequest) -> HttpResponse:
    """The fragment the export page polls while the copy is being prepared."""
    return render(request, "mydata/_export_status.html", _export_context(request))


@login_required
@require_GET
@never_cache
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        job, archive = services.export_archive(user=request.user, token=token)
    except services.ExportNotFound:
        raise Http404 from None
    except services.ExportNotReady:
        return redirect("mydata:export")
    except services.ExportExpired as error:
        return render(request, "mydata/expired.html", {"message": str(error.message)}, status=410)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localtime(job.finished_at or timezone.now()).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="candor-my-data-{stamp}.zip"'
    return response


@login_required
@require_GET
def disclosures(request: HttpRequest) -> HttpResponse:
    page, rows = ledger.page_of(user=request.user, number=request.GET.get("page"))
    return render(request, "mydata/disclosures.html", {"rows": rows, "page": page, **links.nav()})
