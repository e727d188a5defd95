"""Settings of the portal (everything else comes from `shared.settings`)."""

from pydantic import Field

from shared.settings import DEV_SECRET_PREFIX, Settings


class PortalSettings(Settings):
    """Environment: PORTAL_PORT, CLIENTS_API_URL, PORTAL_SESSION_SECRET, SESSION_COOKIE_*, ..."""

    portal_port: int = 8000
    # The clients service's public API: the portal's only source of data.
    clients_api_url: str = "http://127.0.0.1:8001"
    clients_api_timeout_seconds: float = Field(default=5.0, gt=0)
    # Signs the session cookie and derives its CSRF tokens.
    portal_session_secret: str = DEV_SECRET_PREFIX + "portal-session-secret-change-me-012345"
    session_cookie_name: str = "portal_session"
    # None: Secure exactly when PUBLIC_BASE_URL (where browsers reach the portal) is https.
    session_cookie_secure: bool | None = None
    # /dev/sign-in lists the firms of the admins named here (deploy/demo/seed_demo.py writes it).
    dev_staff_file: str = ".run/demo/demo.json"
    clients_page_size: int = Field(default=50, ge=1, le=200)
    # Tab counts and the staff list may be kept this long per session (a change made
    # through the portal forgets them at once: services/portal/list_cache.py). Off by
    # default: a count must move as soon as an invitation or verification event arrived.
    portal_lists_cache_seconds: float = Field(default=0.0, ge=0)

    @property
    def cookie_secure(self) -> bool:
        if self.session_cookie_secure is not None:
            return self.session_cookie_secure
        return self.public_base_url.startswith("https://")

    def _named_secrets(self) -> list[tuple[str, str]]:
        """The shared secrets plus the session secret (production refuses weak ones)."""
        return [*super()._named_secrets(),
                ("PORTAL_SESSION_SECRET", self.portal_session_secret)]
