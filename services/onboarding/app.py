"""The onboarding service: verification cases, provider webhooks, state events via an outbox.

Run: uvicorn services.onboarding.app:app --host 127.0.0.1 --port 8002
"""

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from services.onboarding.api import cases as case_routes
from services.onboarding.api import webhooks as webhook_routes
from services.onboarding.api.errors import install_domain_error_handlers
from services.onboarding.db import SCHEMA, retention
from services.onboarding.service_layer.expiry_job import ExpiryJob
from services.onboarding.service_layer.verification_cases import VerificationCases
from services.onboarding.settings import OnboardingSettings
from shared.db.outbox import Outbox
from shared.db.pool import database_ready
from shared.http.body_limit import BodySizeLimit
from shared.http.errors import install_error_handlers
from shared.http.health import health_router
from shared.log import configure_logging
from shared.outbox_service import running_outbox_service

log = logging.getLogger(__name__)


def create_app(settings: OnboardingSettings | None = None, *,
               run_expiry_job: bool = True) -> FastAPI:
    """The ASGI app; its lifespan owns the pool, producer, outbox relay and expiry job."""
    settings = settings or OnboardingSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        outbox = Outbox(SCHEMA)
        async with running_outbox_service(settings, client_id="onboarding", outbox=outbox,
                                          prunes=retention.prunes(settings)) as service:
            cases = VerificationCases(service.pool, outbox=outbox,
                                      topic=settings.verification_topic)
            expiry = ExpiryJob(cases, max_age=timedelta(days=settings.verification_expiry_days),
                               interval=settings.expiry_job_interval_seconds,
                               batch_size=settings.expiry_job_batch_size)
            if run_expiry_job:
                expiry.start()
            app.state.pool, app.state.producer = service.pool, service.producer
            app.state.cases, app.state.expiry_job = cases, expiry
            log.info("onboarding service started",
                     extra={"topic": settings.verification_topic})
            try:
                yield
            finally:
                await expiry.stop()

    app = FastAPI(title="Partner Portal onboarding", version="1.0.0", lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, limit=settings.http_body_limit_bytes,
                       path_limits={webhook_routes.PATH: settings.webhook_body_limit_bytes})
    install_error_handlers(app)
    install_domain_error_handlers(app)
    app.include_router(health_router(lambda: {
        "postgres": lambda: database_ready(app.state.pool),
        "kafka": app.state.producer.ready,
    }))
    app.include_router(case_routes.router)
    app.include_router(webhook_routes.router)
    return app


def _configured_app() -> FastAPI:
    settings = OnboardingSettings()
    configure_logging("onboarding", settings.log_level)
    return create_app(settings)


app = _configured_app()
