"""The OpenAPI document validates and its page loads its viewer from the app's own
static files (django-ninja's), never from a CDN."""

import re

import pytest
from django.test import Client
from openapi_spec_validator import validate


@pytest.mark.django_db
def test_the_openapi_document_validates() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    validate(document)
    assert document["info"]["title"] == "つなぐ API"
    assert {"/api/v1/records", "/api/v1/reports/{fiscal_year}"} <= set(document["paths"])


@pytest.mark.django_db
def test_the_docs_page_uses_no_cdn() -> None:
    page = Client().get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle" in s for s in sources)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []
    assert "<script>" not in page.replace('<script type="application/json"', "")
