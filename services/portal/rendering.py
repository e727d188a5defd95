"""Pages from templates: every page gets the wording, formatters and CSRF token of its reader."""

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.portal.sessions import Session, csrf_token
from services.portal.settings import PortalSettings
from services.portal.wording import WORDS, words_for
from shared.formatting import DEFAULT_LOCALE, format_moment, format_money, format_number

TEMPLATES = Path(__file__).parent / "templates"


class Formatter:
    """Figures as the reader's locale writes them (shared with the emails)."""

    def __init__(self, locale: str, tz: str):
        self.locale, self.tz = locale, tz

    def number(self, value: int | None) -> str:
        return "" if value is None else format_number(value, self.locale)

    def money(self, balance: dict | None) -> str | None:
        """`€ 1.234,56` from {amount_minor, currency}; None when not known."""
        if not balance:
            return None
        return format_money(balance["amount_minor"], balance["currency"], self.locale)

    def moment(self, at: str | datetime | None) -> str:
        if at is None:
            return ""
        when = datetime.fromisoformat(at) if isinstance(at, str) else at
        return format_moment(when, tz=self.tz, locale=self.locale)


class Pages:
    """Renders templates into HTML responses for one app."""

    def __init__(self, settings: PortalSettings):
        self.settings = settings
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True, auto_reload=not settings.is_production)
        self.env.globals["dev_sign_in"] = not settings.is_production

    def warm(self) -> None:
        """Compile every template and load the locales' number formats before the first page."""
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)
        for locale in WORDS:
            format_money(0, "EUR", locale)
            format_number(0, locale)

    def render(self, request: Request, template: str, *, session: Session | None = None,
               status: int = 200, locale: str | None = None, **context: Any) -> HTMLResponse:
        """The page `template` in the reader's language (the session's, else `locale`)."""
        locale = session.locale if session else (locale or DEFAULT_LOCALE)
        html = self.env.get_template(template).render(
            request=request, session=session, locale=locale, t=words_for(locale),
            fmt=Formatter(locale, self.settings.digest_timezone),
            csrf=csrf_token(session, self.settings.portal_session_secret) if session else "",
            **context)
        return HTMLResponse(html, status, headers=_NO_STORE)


# Pages show one firm's data: never kept by shared caches, and not kept after sign-out.
_NO_STORE = {"Cache-Control": "no-store"}
