"""The form renderer: Django's, with the shop's field group (``candor/field.html``) for
``{{ field.as_field_group }}``."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "candor/field.html"
