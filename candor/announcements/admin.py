"""The privacy officer's announcements in the back office: policy drafts (preview, diff, publish),
the end of the service, and the progress of every notice sent to members. Incidents have their
own module (``incident_admin``).

A draft is edited until it is published; its preview shows the documents ``policy.publish``
would archive — generated from today's declarations — and the line diff against the version in
effect. Publishing calls the core (``services.policy_draft_publish``); a significant version is
then announced to every member in the background, and the draft's page shows how far that got.
A shutdown notice is announced once, through its own form, and never edited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from candor.announcements import selectors, services
from candor.announcements.admin_tools import Tools, add_errors, run_progress
from candor.announcements.incident_admin import IncidentAdmin, IncidentAffectedAdmin
from candor.announcements.models import NoticeRun, PolicyDraft, ShutdownNotice
from candor.errors import CandorError
from candor.privacy import policy
from candor.privacy.admin_mixins import ReadOnlyMixin
from candor.privacy.models import PolicyVersion

__all__ = [
    "IncidentAdmin",
    "IncidentAffectedAdmin",
    "NoticeRunAdmin",
    "PolicyDraftAdmin",
    "ShutdownNoticeAdmin",
]


def diff_kind(line: str) -> str:
    """How the diff page colours a line (as the public diff page does)."""
    if line.startswith(("+++", "---")):
        return "file"
    return {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")


# --- policy drafts ----------------------------------------------------------------------------


class PolicyDraftForm(forms.ModelForm):
    class Meta:
        model = PolicyDraft
        fields = ("number", "effective_at", "significant", "summary_zh", "summary_en")

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        if not policy.NUMBER.fullmatch(number):
            raise forms.ValidationError(_("A version number uses letters, digits, dots and dashes only."))
        if PolicyVersion.objects.filter(number=number).exists():
            raise forms.ValidationError(_("Version %(number)s is already published.") % {"number": number})
        return number


@admin.register(PolicyDraft)
class PolicyDraftAdmin(Tools):
    form = PolicyDraftForm
    tools = ("preview", "publish")
    list_display = ("number", "effective_at", "significant", "published", "notice_progress", "created_at")
    list_filter = ("significant",)
    change_form_template = "admin/announcements/policydraft/change_form.html"
    _facts = ("number", "effective_at", "significant", "summary_zh", "summary_en")

    @admin.display(description=_("published"), boolean=True)
    def published(self, draft: PolicyDraft) -> bool:
        return draft.published_version_id is not None

    @admin.display(description=_("notice to members"))
    def notice_progress(self, draft: PolicyDraft) -> str:
        return run_progress(draft.notice_run)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        shown = ("created_by", "created_at", "published_version", "notice_progress")
        if obj is not None and obj.published_version_id is not None:
            return (*self._facts, *shown)
        return shown if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.published_version_id is None
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        draft = self.get_object(request, unquote(object_id))
        may = (
            draft is not None
            and draft.published_version_id is None
            and self.has_change_permission(request, draft)
        )
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "may_publish": may}
        )

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self.tool_object(request, object_id, change=False)
        lang = request.GET.get("lang") or get_language() or "zh-hans"
        preview = selectors.policy_preview(draft, lang=lang)
        # Our own rendering, escaped by the document templates.
        shown = [(kind, preview.titles[kind], mark_safe(html)) for kind, html in preview.documents.items()]  # noqa: S308
        lines = [(diff_kind(line), line) for line in preview.diff.splitlines()]
        return self.tool_page(
            request, draft, "admin/announcements/policydraft/preview.html",
            title=_("Preview of version %(number)s") % {"number": draft.number}, preview=preview,
            shown=shown, lines=lines, other_lang="en" if preview.lang == "zh-hans" else "zh-hans",
        )  # fmt: skip

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self.tool_object(request, object_id, change=True)
        if draft.published_version_id is not None:
            self.message_user(request, _("This draft is already published."), messages.WARNING)
            return HttpResponseRedirect(self.change_url(draft))
        error, status = "", 200
        if request.method == "POST":
            try:
                services.policy_draft_publish(draft_id=draft.pk, actor_id=request.user.pk)
            except CandorError as exc:
                error, status = str(exc.message), exc.status
            else:
                done = (
                    _(
                        "Version %(number)s is published; every member is being notified and will be asked "
                        "to accept it."
                    )
                    if draft.significant
                    else _("Version %(number)s is published.")
                )
                self.message_user(request, done % {"number": draft.number}, messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(draft))
        return self.tool_page(
            request, draft, "admin/announcements/policydraft/publish.html", status=status,
            title=_("Publish version %(number)s") % {"number": draft.number}, error=error,
            current=policy.current(),
        )  # fmt: skip


# --- shutdown notice --------------------------------------------------------------------------


class ShutdownForm(forms.Form):
    shutdown_at = forms.DateTimeField(
        label=_("Service ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("At least 30 days from now."),
    )
    message_zh = forms.CharField(label=_("Message (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}))
    message_en = forms.CharField(label=_("Message (English)"), widget=forms.Textarea(attrs={"rows": 4}))


@admin.register(ShutdownNotice)
class ShutdownNoticeAdmin(admin.ModelAdmin):
    list_display = ("shutdown_at", "announced_at", "notice_progress")
    readonly_fields = (
        "announced_at",
        "shutdown_at",
        "message_zh",
        "message_en",
        "created_by",
        "notice_progress",
    )

    @admin.display(description=_("notice to members"))
    def notice_progress(self, notice: ShutdownNotice) -> str:
        return run_progress(notice.notice_run)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # announced is announced: a correction is a new notice

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ShutdownForm(request.POST if request.method == "POST" else None)
        status = 200
        if form.is_valid():
            try:
                notice = services.shutdown_announce(**form.cleaned_data, actor_id=request.user.pk)
            except CandorError as exc:
                add_errors(form, exc)
                status = exc.status
            else:
                self.message_user(request, _("The shutdown is announced; every member is being notified."))
                info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
                return HttpResponseRedirect(reverse("{}:{}_{}_change".format(*info), args=[notice.pk]))
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "title": _("Announce the end of the service"),
        }  # fmt: skip
        return TemplateResponse(
            request, "admin/announcements/shutdownnotice/announce.html", context, status=status
        )


# --- notice runs ------------------------------------------------------------------------------


@admin.register(NoticeRun)
class NoticeRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "target",
        "status",
        "progress",
        "emailed",
        "texted",
        "text_failures",
    )
    list_filter = ("kind", "status")
    readonly_fields = (
        "kind", "target", "status", "total", "done", "emailed", "texted", "text_failures", "created_by",
        "created_at", "finished_at",
    )  # fmt: skip

    @admin.display(description=_("progress"))
    def progress(self, run: NoticeRun) -> str:
        return f"{run.done}/{run.total} ({run.percent}%)"
