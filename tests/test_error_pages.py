"""A domain error raised in a web view is a localized 4xx page, never a 500."""

from __future__ import annotations

import pytest
from django.utils import translation

from candor.errors import CandorError
from candor.privacy import taxonomy
from candor.privacy.consent import ConsentRequired
from candor.storefront.middleware import CandorErrorPageMiddleware


def middleware() -> CandorErrorPageMiddleware:
    return CandorErrorPageMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading"), [("zh-hans", "无法完成此操作"), ("en", "This could not be done")]
)
def test_consent_error_in_a_view_is_a_403_page(rf, lang, heading, django_user_model):
    request = rf.get("/somewhere/")
    request.user = django_user_model(username="x")
    with translation.override(lang):
        response = middleware().process_exception(request, ConsentRequired(taxonomy.LOCATION_FEATURES))
        html = response.content.decode()
        purpose = str(taxonomy.LOCATION_FEATURES.label)
    assert response.status_code == 403
    assert heading in html
    assert purpose in html  # the message names what the consent is for
    assert 'data-code="consent_required"' in html


def test_api_paths_and_other_exceptions_are_left_alone(rf):
    assert middleware().process_exception(rf.get("/api/v1/x"), CandorError("no")) is None
    assert middleware().process_exception(rf.get("/x"), RuntimeError("boom")) is None
