"""What the announcements' admin pages share: extra pages of one object (preview, publish,
find affected members, notify, report), a service's refusal shown on a form, a run's progress."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from candor.announcements.models import NoticeRun
from candor.errors import CandorError


def add_errors(form: forms.Form, error: CandorError) -> None:
    """A service's refusal on the form: on the fields it names, else on the form."""
    for name, errors in (error.fields or {"": [str(error.message)]}).items():
        form.add_error(name if name in form.fields else None, errors)


def run_progress(run: NoticeRun | None) -> str:
    if run is None:
        return "—"
    return str(
        _("%(status)s: %(done)d of %(total)d members (%(percent)d%%), %(emailed)d e-mails, %(texted)d texts")
        % {
            "status": run.get_status_display(), "done": run.done, "total": run.total,
            "percent": run.percent, "emailed": run.emailed, "texted": run.texted,
        }
    )  # fmt: skip


class Tools(admin.ModelAdmin):
    """Extra pages of one object, at ``<id>/<name>/``, each behind the admin's login."""

    tools: tuple[str, ...] = ()

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        own = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(getattr(self, f"{name}_view")),
                name="{}_{}_{}".format(*info, name),
            )
            for name in self.tools
        ]
        return [*own, *super().get_urls()]

    def change_url(self, obj: models.Model) -> str:
        info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
        return reverse("{}:{}_{}_change".format(*info), args=[quote(obj.pk)])

    def tool_object(self, request: HttpRequest, object_id: str, *, change: bool) -> Any:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, obj) if change else self.has_view_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def tool_page(
        self, request: HttpRequest, obj: Any, template: str, status: int = 200, **context: Any
    ) -> Any:
        base = {
            **self.admin_site.each_context(request), "opts": self.opts, "original": obj,
            "change_url": self.change_url(obj),
        }  # fmt: skip
        return TemplateResponse(request, template, {**base, **context}, status=status)
