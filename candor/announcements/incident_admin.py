"""Incidents in the back office: record the facts, find the affected members, notify them, and
print the report for the regulator (PIPL art. 57).

Finding the affected members is a small form over ``audience`` (data sets of the data map, a
login time range, or account numbers), never free SQL; the set found replaces the members not yet
notified, and every search is kept on the incident. Notifying refuses until every fact the law
asks the notice to carry is filled in. The affected members' list is masked like every other
table of personal data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candor.announcements import audience, selectors, services
from candor.announcements.admin_tools import Tools, add_errors
from candor.announcements.models import Incident, IncidentAffected
from candor.errors import CandorError
from candor.privacy import taxonomy
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin


def _category_choices() -> list[tuple[str, str]]:
    return [(code, str(category.label)) for code, category in taxonomy.CATEGORIES.items()]


class IncidentForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories of personal information involved"),
        choices=_category_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Incident
        fields = (
            "title", "status", "occurred_at", "discovered_at", "what_happened", "categories", "cause",
            "consequences", "measures", "advice", "contact", "reported_to_regulator_at",
        )  # fmt: skip


class AffectedForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Find"), choices=list(audience.SOURCE_LABELS.items()), widget=forms.RadioSelect
    )
    data_sets = forms.MultipleChoiceField(
        label=_("Data sets"), required=False, choices=audience.data_sets,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Members with at least one record in any of these."),
    )  # fmt: skip
    since = forms.DateTimeField(
        label=_("Logged in from"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    until = forms.DateTimeField(
        label=_("until (not included)"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    ids = forms.CharField(
        label=_("Account numbers"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Separated by commas, spaces or new lines."),
    )  # fmt: skip

    def query(self) -> audience.AudienceQuery:
        data = self.cleaned_data
        source = audience.Source(data["source"])
        ids = audience.parse_ids(data["ids"]) if source is audience.Source.IDS else ()
        return audience.AudienceQuery(
            source=source,
            data_sets=tuple(data["data_sets"]),
            since=data["since"],
            until=data["until"],
            ids=ids,
        )


@admin.register(Incident)
class IncidentAdmin(Tools):
    form = IncidentForm
    tools = ("affected", "notify", "report")
    list_display = ("title", "status", "discovered_at", "affected_count", "reported_to_regulator_at")
    list_filter = ("status",)
    readonly_fields = ("created_by", "created_at", "affected_summary", "searches")
    change_form_template = "admin/announcements/incident/change_form.html"

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        contact = settings.CANDOR_CONTACT
        lines = [contact.get("email", ""), contact.get("phone", ""), contact.get("address", "")]
        return {**super().get_changeform_initial_data(request), "contact": "\n".join(x for x in lines if x)}

    @admin.display(description=_("affected members"))
    def affected_count(self, incident: Incident) -> int:
        return incident.affected.count()

    @admin.display(description=_("affected members"))
    def affected_summary(self, incident: Incident) -> str:
        report = selectors.incident_report(incident)
        url = (
            reverse("admin:announcements_incidentaffected_changelist") + f"?incident__id__exact={incident.pk}"
        )
        return format_html(
            '<a href="{}">{}</a>',
            url,
            _("%(affected)d found, %(notified)d notified (%(emailed)d by e-mail, %(texted)d by text message)")
            % {"affected": report.affected, "notified": report.notified, "emailed": report.emailed,
               "texted": report.texted},
        )  # fmt: skip

    @admin.display(description=_("searches for affected members"))
    def searches(self, incident: Incident) -> str:
        lines = []
        for query in incident.queries:
            sets = ", ".join(query.get("data_sets") or [])
            lines.append(
                f"{str(query.get('at', ''))[:16]} {query.get('source')} {sets} → {query.get('found')}"
            )
        return "\n".join(lines)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def affected_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        incident = self.tool_object(request, object_id, change=True)
        form = AffectedForm(request.POST if request.method == "POST" else None, initial={"source": "records"})
        status = 200
        if form.is_valid():
            try:
                found = services.incident_find_affected(
                    incident_id=incident.pk, query=form.query(), actor_id=request.user.pk
                )
            except CandorError as exc:
                add_errors(form, exc)
                status = exc.status
            else:
                self.message_user(
                    request, _("%(count)d affected members found.") % {"count": found}, messages.SUCCESS
                )
                return HttpResponseRedirect(self.change_url(incident))
        elif request.method == "POST":
            status = 400
        return self.tool_page(
            request, incident, "admin/announcements/incident/affected.html", status=status,
            title=_("Find the affected members"), form=form,
        )  # fmt: skip

    def notify_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        incident = self.tool_object(request, object_id, change=True)
        error, status = "", 200
        if request.method == "POST":
            try:
                run = services.incident_notify(incident_id=incident.pk, actor_id=request.user.pk)
            except CandorError as exc:
                error, status = str(exc.message), exc.status
            else:
                self.message_user(
                    request,
                    _("Notifying %(count)d affected members.") % {"count": run.total},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self.change_url(incident))
        pending = incident.affected.filter(notified_at__isnull=True).count()
        return self.tool_page(
            request, incident, "admin/announcements/incident/notify.html", status=status,
            title=_("Notify the affected members"), error=error, pending=pending,
            missing=services.missing_facts(incident),
        )  # fmt: skip

    def report_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        incident = self.tool_object(request, object_id, change=False)
        return self.tool_page(
            request, incident, "admin/announcements/incident/report.html",
            title=_("Report of a personal information security incident"),
            report=selectors.incident_report(incident), contact=settings.CANDOR_CONTACT,
            generated_at=timezone.now(),
        )  # fmt: skip


@admin.register(IncidentAffected)
class IncidentAffectedAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    """Who an incident touched: read-only, the member by account number only."""

    list_display = ("privacy_label", "incident", "member", "notified", "emailed", "texted")
    list_filter = ("incident",)
    list_select_related = ("incident",)
    search_fields = ("=user__id",)
    fields = ("incident", "member", "found_at", "notified_at", "emailed", "sms_receipt")
    readonly_fields = ("incident", "member", "found_at", "emailed", "sms_receipt")

    @admin.display(description=_("member"))
    def member(self, row: IncidentAffected) -> str:
        return f"#{row.user_id}"

    @admin.display(description=_("notified"), boolean=True)
    def notified(self, row: IncidentAffected) -> bool:
        return row.notified_at is not None

    @admin.display(description=_("told by text message"), boolean=True)
    def texted(self, row: IncidentAffected) -> bool:
        return bool(row.sms_receipt)
