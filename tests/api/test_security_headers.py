"""Security headers on every response, and a CSP that pages satisfy with hashes only (issue 16, 8)."""

import base64
import hashlib
import re

import pytest

PAGES = ["/", "/search?q=Namibia", "/peers", "/console/sparql", "/id/country/NAM", "/viz/ego?focus=NAM"]


@pytest.mark.parametrize("path", [*PAGES, "/health", "/api/stats", "/static/style.css", "/sparql?query=ASK%7B%7D"])
def test_every_response_has_the_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_allow_only_this_origin_and_their_own_inline_blocks(client, path):
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    assert "http" not in policy and "'unsafe-inline'" not in policy.replace("style-src-attr 'unsafe-inline'", "")
    assert "'unsafe-eval'" not in policy
    for block in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, flags=re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_a_graph_view_needs_its_inline_script_hashes(client):
    policy = client.get("/viz/ego?focus=NAM").headers["content-security-policy"]
    assert re.search(r"script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;", policy)


def test_refusals_from_the_guards_carry_the_headers_too(client):
    response = client.post("/api/ingest", content=b"x", headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 401 and response.headers["x-content-type-options"] == "nosniff"
