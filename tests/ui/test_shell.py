"""Fast checks of what the page is made of (no browser): headers, assets, the schema /docs shows,
and the source rules that keep data from becoming markup or leaving for another origin."""

from __future__ import annotations

import re

from service.ui.routes import HERE, STATIC
from tests.api.conftest import auth, client, tokens  # noqa: F401  (shared API fixtures)

SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\"on")


def test_page_and_docs_send_a_strict_policy(client):  # noqa: F811
    page = client.get("/ui/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/ui", follow_redirects=False).headers["location"] == "/ui/"
    docs = client.get("/docs")
    policy = docs.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    for url in re.findall(r'(?:src|href)="([^"]+)"', docs.text):
        assert url.startswith("/docs/static/"), url
        assert client.get(url).status_code == 200
    assert "cdn" not in docs.text.lower()


def test_shell_has_the_contract_names_and_nothing_inline():
    shell = (HERE / "templates" / "index.html").read_text()
    assert (
        '<label for="token">API token</label>' in shell
        and ">Sign in</button>" in shell
        and ">Sign out</button>" in shell
    )
    assert not re.search(r"<script(?![^>]*\bsrc=)", shell), "inline script"
    assert not re.search(r"\s(style|on\w+)=", shell), "inline style or handler"
    assert not re.search(r"https?://", shell)


def test_scripts_build_no_markup_and_call_only_v1():
    for path in STATIC.glob("*.js"):
        source = re.sub(r"^\s*//.*$", "", path.read_text(), flags=re.M)  # comments may name what is banned
        assert not SINKS.search(source), f"{path.name} uses an HTML or code sink"
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source), f"{path.name} names another origin"
        for call in re.findall(r"(?:fetch|\.open)\(([^)]*)\)", source):
            assert "/v1" in call, f"{path.name}: {call}"


def test_schema_declares_bearer_and_upload_bodies(client):  # noqa: F811
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    body = schema["paths"]["/v1/batches"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "text/csv", "application/x-ndjson", "application/json"} <= set(body)
    assert not any(p.startswith("/ui") for p in schema["paths"])


def test_me_names_the_token_and_its_role(client, tokens):  # noqa: F811
    res = client.get("/v1/me", headers=auth(tokens["analyst"]))
    assert res.json() | {"token_id": 0} == {"token_id": 0, "name": "test-analyst", "role": "analyst", "units": []}
    assert client.get("/v1/me").json()["code"] == "unauthenticated"
    assert tokens["analyst"] not in res.text
