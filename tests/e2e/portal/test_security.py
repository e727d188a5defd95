"""Session cookie and CSRF over plain HTTP (httpx): what a browser test cannot forge."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx
import pytest

pytestmark = pytest.mark.e2e


class Forms(HTMLParser):
    """The POST forms of a page: (action, {field: value})."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = (a.get("method") or "get").lower() == "post"
            if self._open:
                self.forms.append((a.get("action") or "", {}))
        elif tag == "input" and self._open and a.get("name"):
            self.forms[-1][1][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


async def _sign_in(http: httpx.AsyncClient, world, person) -> None:
    token = world.stack.staff_headers(person.id)["Authorization"].removeprefix("Bearer ")
    answer = await http.post("/session", data={"token": token})
    assert answer.status_code in (302, 303), answer.text
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie, cookie


async def test_state_changing_forms_without_csrf_token_are_refused(world):
    client_id = world.clients["Garage Groen"]
    async with httpx.AsyncClient(base_url=world.url, timeout=10) as http:
        await _sign_in(http, world, world.admin)
        page = await http.get(f"/clients/{client_id}")
        assert page.status_code == 200
        parser = Forms()
        parser.feed(page.text)
        # PORTAL.md: POST /session and POST /sign-out need no CSRF token; every other does.
        guarded = [(action, fields) for action, fields in parser.forms
                   if any("csrf" in name.lower() for name in fields)
                   and action not in ("/session", "/sign-out")]
        assert len(guarded) >= 2, f"state-changing forms without a CSRF token: {parser.forms}"
        for action, fields in guarded:
            url = urljoin(f"{world.url}/clients/{client_id}", action)
            bare = {k: v for k, v in fields.items() if "csrf" not in k.lower()}
            assert (await http.post(url, data=bare)).status_code == 403, action
            wrong = {k: ("x" * 20 if "csrf" in k.lower() else v) for k, v in fields.items()}
            assert (await http.post(url, data=wrong)).status_code == 403, action


async def test_a_forged_token_sets_no_cookie(world):
    async with httpx.AsyncClient(base_url=world.url, timeout=10) as http:
        answer = await http.post("/session", data={"token": "eyJhbGciOiJIUzI1NiJ9.e30.forged"})
        assert "set-cookie" not in answer.headers or "max-age=0" in answer.headers[
            "set-cookie"].lower()
        assert answer.status_code in (200, 400, 401, 403)
        assert (await http.get("/clients")).status_code in (302, 303, 307)
