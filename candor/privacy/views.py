"""The published privacy documents as pages, the archive of versions, and accepting a version.

Archived versions are shown from their snapshot (``PolicyVersion.documents``), exactly as
published. The collection and sharing lists are rendered live from the declarations: they
say what the running code collects and shares today.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from candor.errors import CandorError
from candor.privacy import consent, documents, policy
from candor.privacy.models import PolicyVersion


def _archived(version: PolicyVersion, kind: str) -> str:
    # Our own rendering, escaped by the templates when it was published.
    return mark_safe(policy.document(version, kind=kind, lang=get_language()))  # noqa: S308


def _live(kind: str) -> str:
    return mark_safe(documents.render(kind, fmt="html", lang=policy.doc_language(get_language())))  # noqa: S308


def _version(number: str) -> PolicyVersion:
    try:
        return policy.get(number)
    except CandorError as exc:
        raise Http404(str(exc.message)) from exc


def policy_page(request: HttpRequest) -> HttpResponse:
    version = policy.current()
    body = _archived(version, "policy") if version else _live("policy")
    context = {"version": version, "body": body, "upcoming": policy.upcoming()}
    return render(request, "privacy/policy.html", context)


def versions_page(request: HttpRequest) -> HttpResponse:
    lang = get_language()
    published = policy.versions()  # newest first: each row's predecessor is the next one
    older = [*published[1:], None]
    rows = [(v, policy.summary(v, lang), previous) for v, previous in zip(published, older, strict=True)]
    return render(request, "privacy/versions.html", {"rows": rows, "current": policy.current()})


def version_page(request: HttpRequest, number: str) -> HttpResponse:
    version = _version(number)
    kind = request.GET.get("doc", "policy")
    if kind not in documents.KINDS:
        kind = "policy"
    tabs = [(key, documents.title(key)) for key in documents.KINDS]
    context = {
        "version": version,
        "summary": policy.summary(version, get_language()),
        "kind": kind,
        "title": documents.title(kind),
        "tabs": tabs,
        "body": _archived(version, kind),
    }
    return render(request, "privacy/version.html", context)


def diff_page(request: HttpRequest, old: str, new: str) -> HttpResponse:
    before, after = _version(old), _version(new)
    lines = []
    for line in policy.diff(before, after, lang=get_language()).splitlines():
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        if line.startswith(("+++", "---")):
            kind = "file"
        lines.append((kind, line))
    return render(request, "privacy/diff.html", {"old": before, "new": after, "lines": lines})


def collection_page(request: HttpRequest) -> HttpResponse:
    kind = "collection_list"
    context = {"kind": kind, "title": documents.title(kind), "body": _live(kind)}
    return render(request, "privacy/list.html", context)


def sharing_page(request: HttpRequest) -> HttpResponse:
    kind = "sharing_list"
    context = {"kind": kind, "title": documents.title(kind), "body": _live(kind)}
    return render(request, "privacy/list.html", context)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


def _user_id(request: HttpRequest) -> int:
    if request.user.pk is None:  # login_required lets no anonymous user through
        raise PermissionDenied
    return int(request.user.pk)


def _accept_context(request: HttpRequest, user_id: int) -> dict[str, Any] | None:
    pending = policy.needs_acceptance(user_id)
    shown = pending or policy.current()
    if shown is None:
        return None
    last = consent.latest(user_id, consent.POLICY)
    accepted = PolicyVersion.objects.filter(number=last.policy_version).first() if last else None
    return {
        "version": shown,
        "pending": pending is not None,
        "first": last is None,  # never accepted any version: nothing "changed" for this user
        "summary": policy.summary(shown, get_language()),
        "accepted": accepted if accepted and accepted.pk != shown.pk else None,
        "body": _archived(shown, "policy"),
        "next": _next(request),
    }


def _accept(request: HttpRequest, user_id: int) -> None:
    """Accept the posted version; raises ``CandorError`` for a missing or unknown one, or one
    ``policy.accept`` refuses (neither the one asked for nor the one in effect)."""
    number = request.POST.get("version", "").strip()
    if not number:
        message = _("Say which version of the policy you accept.")
        raise policy.PolicyError(message, fields={"version": [str(message)]})
    version = PolicyVersion.objects.filter(number=number).first()
    if version is None:
        raise policy.PolicyVersionNotFound(number)
    policy.accept(
        user_id=user_id,
        version=version,
        channel=consent.Channel.WEB,
        evidence={"page": request.path, "version": version.number},
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept_page(request: HttpRequest) -> HttpResponse:
    user_id = _user_id(request)
    error = None
    if request.method == "POST":
        try:
            _accept(request, user_id)
        except CandorError as exc:
            error = str(exc.message)  # shown on the page again, which answers 400
        else:
            return redirect(_next(request))
    context = _accept_context(request, user_id)
    if context is None:
        if error is not None:
            return render(
                request, "privacy/accept.html", {"error": error, "next": _next(request)}, status=400
            )
        return redirect(_next(request))
    return render(request, "privacy/accept.html", {**context, "error": error}, status=400 if error else 200)
