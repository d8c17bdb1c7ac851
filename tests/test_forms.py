"""One way to write a form field (``candor/field.html`` through ``{{ field.as_field_group }}``):
label, hint and error, with the ids the widget's ``aria-describedby`` names, on every page."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse


class Sample(forms.Form):
    name = forms.CharField(label="Name", help_text="As on your ID card")
    agreed = forms.BooleanField(label="I agree")
    who = forms.ChoiceField(
        label="For whom", choices=[("me", "Me"), ("child", "My child")], widget=forms.RadioSelect
    )


def described_ids_missing(html: str) -> list[str]:
    """The ids named by an aria-describedby that no element of the page carries."""
    named = {i for value in re.findall(r'aria-describedby="([^"]*)"', html) for i in value.split()}
    return sorted(i for i in named if f'id="{i}"' not in html)


def test_a_field_group_carries_its_hint_and_error_where_the_widget_points():
    form = Sample(data={"name": "", "who": "nobody"})
    assert not form.is_valid()
    name = str(form["name"].as_field_group())
    assert '<label for="id_name">Name</label>' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert '<small class="muted" id="id_name_helptext">As on your ID card</small>' in name
    assert 'id="id_name_error" role="alert" data-testid="error-name"' in name
    agreed = str(form["agreed"].as_field_group())
    assert '<label class="check"><input type="checkbox" name="agreed"' in agreed
    assert 'data-testid="error-agreed"' in agreed
    who = str(form["who"].as_field_group())
    assert '<fieldset class="choices">' in who and "<legend>For whom</legend>" in who
    assert who.count('<label class="check">') == 2 and 'data-testid="error-who"' in who
    html = "".join(str(field.as_field_group()) for field in form)
    assert described_ids_missing(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:register", "accounts:login_sms", "accounts:password_reset_sms"])
def test_every_described_by_id_is_on_the_page(client, name):
    url = reverse(name)
    shown = client.get(url).content.decode()
    assert "as_field_group" not in shown and described_ids_missing(shown) == []
    refused = client.post(url, {"username": "", "phone": "12"}).content.decode()  # fields in error
    assert 'class="form-error"' in refused
    assert described_ids_missing(refused) == []
