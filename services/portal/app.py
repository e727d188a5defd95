"""The portal: the Clients page staff use, built only on the clients service's /v1 API.

Run: uvicorn services.portal.app:app --host 127.0.0.1 --port 8000
"""

import contextlib
import gc
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from services.portal.api_client import ClientsApi
from services.portal.dependencies import Portal
from services.portal.error_pages import install_error_pages
from services.portal.pages import clients, dev_sign_in, sign_in
from services.portal.pages import client_access, client_details, unsubscribe
from services.portal.rendering import Pages
from services.portal.settings import PortalSettings
from shared.http.body_limit import BodySizeLimit
from shared.http.health import health_router
from shared.log import configure_logging

STATIC = Path(__file__).parent / "static"


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    """The ASGI app."""
    settings = settings or PortalSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.portal.pages.warm()
        # All built by now lives as long as the process: out of the collector's sight, its
        # full collections (~45 ms each over FastAPI, pydantic, Babel, Jinja) no longer
        # stall a page now and then (docs/BENCHMARKS.md, the portal's Clients page).
        gc.freeze()
        try:
            yield
        finally:
            await app.state.portal.api.close()

    app = FastAPI(title="Partner Portal", version="1.0.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodySizeLimit, limit=settings.http_body_limit_bytes)
    app.state.portal = Portal(
        settings=settings,
        api=ClientsApi(settings.clients_api_url, timeout=settings.clients_api_timeout_seconds,
                       lists_ttl=settings.portal_lists_cache_seconds),
        pages=Pages(settings))
    install_error_pages(app)
    app.include_router(health_router(lambda: {"clients_api": app.state.portal.api.answers}))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (sign_in, dev_sign_in, clients, client_details, client_access, unsubscribe):
        app.include_router(module.router)
    return app


def _app() -> FastAPI:
    settings = PortalSettings()
    configure_logging("portal", settings.log_level)
    return create_app(settings)


app = _app()
