"""Page views are declared personal data under the analytics purpose, kept 90 days: the core's
retention sweep deletes older rows and keeps newer ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from candor.cookies.models import PageView
from candor.privacy import datamap, retention, taxonomy

pytestmark = pytest.mark.django_db


def test_page_views_are_declared_under_analytics():
    declaration = datamap.declaration_for(PageView)
    assert declaration is not None
    assert set(declaration.fields) == {"aid", "path", "referrer", "at"}
    assert all(pi.purposes == (taxonomy.ANALYTICS,) for pi in declaration.fields.values())
    assert declaration.retention.term == timedelta(days=90) and declaration.recipients == ()


def test_the_sweep_deletes_page_views_after_90_days():
    now = timezone.now()
    old = PageView.objects.create(aid="a" * 32, path="/")
    recent = PageView.objects.create(aid="a" * 32, path="/cart/")
    PageView.objects.filter(pk=old.pk).update(at=now - timedelta(days=91))
    PageView.objects.filter(pk=recent.pk).update(at=now - timedelta(days=89))
    retention.sweep(now=now)
    assert list(PageView.objects.values_list("pk", flat=True)) == [recent.pk]
