"""``PrivacyAdminMixin``: every declared personal field is masked in the back office.

Change lists and change forms show each declared field through its ``Pi.mask`` (default
"generic"); on the change form the declared fields are read-only masked displays, because staff
change personal data through the business flows (with their checks and audit), never by typing
over a masked value. Each display carries a "reveal" link for staff with the permission; the
link opens ``<pk>/reveal/<field>/``, which asks for a reason code and an optional ticket and
calls ``reveal.reveal``, showing the value once and never caching the page; a refusal (no
permission, a record restricted to legal purposes) is a 403 page saying why. Adding an object is
left as it was (there is nothing to mask yet), so the add-user form keeps working for creating
staff. A change that does reach a declared field (a subclass's own form, the password page) is
audited in the transaction of the save (``record_change``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import audit, masking, reveal, taxonomy
from candor.privacy.datamap import Declaration, declaration_for
from candor.privacy.keyring import DecryptionError, RestrictedData

# ModelAdmin is generic only to the type checker (django-stubs); at run time it cannot be indexed.
if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
else:
    ModelAdmin = admin.ModelAdmin

Display = Callable[[models.Model], str]
logger = logging.getLogger(__name__)
_UNREADABLE = _("(cannot be shown)")


class RevealForm(forms.Form):
    # Only lays the inputs out: ``reveal.reveal`` validates them, so the page and every other
    # caller refuse the same input with the same message.
    reason = forms.CharField(
        label=_("Purpose of this access"),
        required=False,
        widget=forms.Select(choices=[("", "---------"), *reveal.Reason.choices]),
    )
    ticket = forms.CharField(
        label=_("Ticket reference"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 32, "pattern": reveal.TICKET.pattern}),
        help_text=_("Optional: letters, digits and dashes only. Never type personal data here."),
    )


class PrivacyAdminMixin(ModelAdmin):
    """Put first among a ModelAdmin's bases: ``class UserAdmin(PrivacyAdminMixin, BaseUserAdmin)``."""

    def _declaration(self) -> Declaration | None:
        # Looked up per call: admin modules load before the declarations are discovered.
        return declaration_for(self.model)

    def _masked_names(self) -> list[str]:
        """Declared fields shown masked. A one-way hash (a password) is left to its own widget,
        which never shows it: there is nothing in it to reveal."""
        declaration = self._declaration()
        return [] if declaration is None else [n for n, pi in declaration.fields.items() if not pi.hashed]

    def _display(self, name: str, *, linked: bool) -> Display:
        """One callable per (field, linked), kept: the admin matches readonly fields to the
        fieldsets' entries by identity."""
        cache: dict[tuple[str, bool], Display] = self.__dict__.setdefault("_privacy_displays", {})
        if (name, linked) not in cache:
            cache.setdefault((name, linked), self._make_display(name, linked=linked))
        return cache[(name, linked)]

    def _make_display(self, name: str, *, linked: bool) -> Display:
        declaration = self._declaration()
        assert declaration is not None
        kind = declaration.fields[name].mask or "generic"

        def show(obj: models.Model) -> str:
            masked = masked_value(obj, name, kind)
            if not linked or obj.pk is None or not masked:
                return masked or self.get_empty_value_display()
            url = reverse(f"{self.admin_site.name}:{_url_name(self.opts)}", args=[quote(obj.pk), name])
            return format_html('{} <a href="{}">{}</a>', masked, url, _("reveal"))

        show.__name__ = f"masked_{name}"
        return admin.display(description=declaration.field_label(name))(show)

    def _mask_names(self, names: Sequence[Any], *, linked: bool) -> list[Any]:
        masked = self._masked_names()
        out: list[Any] = []
        for entry in names:
            if isinstance(entry, list | tuple):  # a row of fields shown side by side
                out.append(tuple(self._mask_names(entry, linked=linked)))
            elif isinstance(entry, str) and entry in masked:
                out.append(self._display(entry, linked=linked))
            else:
                out.append(entry)
        return out

    def _masked_fields(self, request: HttpRequest, obj: models.Model | None) -> list[Display]:
        if obj is None:
            return []
        linked = request.user.has_perm(reveal.PERMISSION)
        return [self._display(name, linked=linked) for name in self._masked_names()]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return self._mask_names(super().get_list_display(request), linked=False)

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        links = super().get_list_display_links(request, list_display)
        return None if links is None else self._mask_names(links, linked=False)

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        linked = request.user.has_perm(reveal.PERMISSION)
        return [
            (title, {**options, "fields": self._mask_names(options.get("fields", ()), linked=linked)})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[Any]:
        return [*super().get_readonly_fields(request, obj), *self._masked_fields(request, obj)]

    def get_exclude(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        # No form widget for a masked field, so no form can write over it (and a form built
        # from all fields does not list it twice beside its masked display).
        exclude = super().get_exclude(request, obj)
        return exclude if obj is None else [*(exclude or ()), *self._masked_names()]

    def privacy_label(self, obj: models.Model) -> str:
        """How the admin names an object where it would print ``str(obj)``, which for many
        models (the user's username) is itself personal data."""
        return f"{self.opts.verbose_name} #{obj.pk}"

    def action_checkbox(self, obj: models.Model) -> Any:
        return super().action_checkbox(_Labelled(obj.pk, self.privacy_label(obj)))

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], add: bool = False, change: bool = False,
        form_url: str = "", obj: models.Model | None = None,
    ) -> Any:  # fmt: skip
        if obj is not None and self._masked_names():
            context["subtitle"] = self.privacy_label(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.privacy_reveal_view)
        # Before the model's own patterns: their "<path:object_id>/" would swallow this path.
        own = path("<path:object_id>/reveal/<str:field>/", view, name=_url_name(self.opts))
        return [own, *super().get_urls()]

    def privacy_reveal_view(self, request: HttpRequest, object_id: str, field: str) -> HttpResponse:
        declaration = self._declaration()
        obj = self.get_object(request, unquote(object_id))
        if obj is None or declaration is None or field not in self._masked_names():
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        form = RevealForm(request.POST if request.method == "POST" else None)
        value, refusal, status = None, "", 200
        shown = form.is_valid()  # an unbound form (GET) is never valid
        if shown:
            try:
                value = reveal.reveal(
                    actor=request.user, obj=obj, field=field,
                    reason=form.cleaned_data["reason"], ticket=form.cleaned_data["ticket"],
                )  # fmt: skip
            except CandorError as exc:
                shown, status = False, exc.status
                if exc.status != 400:  # not allowed, or a record restricted to legal purposes
                    refusal = str(exc.message)
                for name, errors in (exc.fields or {"": [str(exc.message)]}).items():
                    form.add_error(name if name in form.fields else None, errors)
            except DecryptionError:
                logger.warning("reveal: %s of %s does not open", field, _target(obj), exc_info=True)
                refusal = str(_("This value cannot be opened: it was damaged or moved from another record."))
                shown, status = False, 409
        info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": self.privacy_label(obj), "form": form, "shown": shown,
            "refusal": refusal, "title": _("Reveal personal data"),
            "value": value if value is not None else self.get_empty_value_display(),
            "field_label": declaration.field_label(field),
            "masked": masked_value(obj, field, declaration.fields[field].mask or "generic"),
            "change_url": reverse("{}:{}_{}_change".format(*info), args=[quote(obj.pk)]),
        }  # fmt: skip
        response = TemplateResponse(request, "privacy/admin/reveal.html", context, status=status)
        add_never_cache_headers(response)
        return response

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            self.record_change(request, obj, form.changed_data)

    def record_change(self, request: HttpRequest, obj: models.Model, names: Sequence[str]) -> None:
        """Audit a change staff made to declared fields of ``obj`` (nothing when none of ``names``
        is declared). Call it in the transaction of the change: the admin's change form and
        change list save in one."""
        declaration = self._declaration()
        changed = [] if declaration is None else [n for n in names if n in declaration.fields]
        if declaration is None or not changed:
            return
        try:
            subject_id: int | None = declaration.subject_id_of(obj)
        except (TypeError, ValueError):  # a row that belongs to nobody (yet)
            subject_id = None
        audit.record(
            action=audit.Action.CHANGE, actor_id=request.user.pk, subject_id=subject_id,
            target=_target(obj), fields=changed, purpose=taxonomy.CUSTOMER_SERVICE.code,
        )  # fmt: skip


class _Labelled:
    """An object's primary key under a label that is not its ``str()``."""

    def __init__(self, pk: Any, label: str) -> None:
        self.pk, self.label = pk, label

    def __str__(self) -> str:
        return self.label


def masked_value(obj: models.Model, name: str, kind: str) -> str:
    """The masked display of one field. A restricted record says so; a value that does not open
    (tampered with, moved from another row, or refused for another reason) shows a placeholder
    and is logged, so one bad row does not take a whole list down."""
    try:
        value = getattr(obj, name)
    except RestrictedData:
        return str(_("(restricted)"))
    except (DecryptionError, CandorError):
        logger.warning("admin: %s of %s does not open", name, _target(obj), exc_info=True)
        return str(_UNREADABLE)
    return masking.mask(kind, None if value is None else str(value))


def _target(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _url_name(opts: Any) -> str:
    return f"{opts.app_label}_{opts.model_name}_privacy_reveal"


class ReadOnlyMixin:
    """For records written by the services only (ledgers, logs, transaction records, derived
    data): nothing is added, edited or deleted in the back office. Put it first in the bases."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
