"""The clients service: the Clients page API, its read model and its announcements.

Run: uvicorn services.clients.app:app --host 127.0.0.1 --port 8001
"""

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from services.clients.api import client_actions, clients, internal, invitations, unsubscribe
from services.clients.api.errors import install_domain_error_handlers
from services.clients.consumers.wiring import build_consumer
from services.clients.db import SCHEMA, SESSION_SETTINGS
from services.clients.db import retention
from services.clients.runtime import Runtime
from services.clients.settings import ClientsSettings
from services.clients.workers.case_opener import CaseOpener
from shared.db.outbox import Outbox
from shared.db.pool import database_ready
from shared.http.body_limit import BodySizeLimit
from shared.http.errors import install_error_handlers
from shared.http.health import health_router
from shared.kafka.producer import EventProducer
from shared.log import configure_logging
from shared.outbox_service import running_outbox_service

log = logging.getLogger(__name__)


def create_app(settings: ClientsSettings | None = None, *, runtime: Runtime | None = None,
               producer: EventProducer | None = None) -> FastAPI:
    """The ASGI app. Its lifespan owns pool, producer, consumer, outbox relay and case opener;
    given a `runtime` (tests), it serves only the routes over that runtime's pool."""
    settings = settings or (runtime.settings if runtime else ClientsSettings())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime is not None:
            app.state.runtime, app.state.producer = runtime, producer
            yield
            return
        async with _running(app, settings):
            yield

    app = FastAPI(title="Partner Portal clients", version="1.0.0", lifespan=lifespan)
    app.add_middleware(BodySizeLimit, limit=settings.http_body_limit_bytes)
    install_error_handlers(app)
    install_domain_error_handlers(app)
    if runtime is not None:
        app.state.runtime, app.state.producer = runtime, producer
    app.include_router(health_router(lambda: _checks(app)))
    for module in (internal, clients, invitations, client_actions, unsubscribe):
        app.include_router(module.router)
    return app


def _checks(app: FastAPI) -> dict:
    checks = {"postgres": lambda: database_ready(app.state.runtime.pool)}
    if app.state.producer is not None:
        checks["kafka"] = app.state.producer.ready
    consumer = getattr(app.state, "consumer", None)
    if consumer is not None:
        # Not ready while the consumer is not started, crashed, or in its restart backoff.
        checks["consumer"] = consumer.ready
    return checks


@contextlib.asynccontextmanager
async def _running(app: FastAPI, settings: ClientsSettings) -> AsyncIterator[None]:
    async with running_outbox_service(settings, client_id="clients", outbox=Outbox(SCHEMA),
                                      prunes=retention.prunes(settings),
                                      server_settings=SESSION_SETTINGS) as service:
        pool, producer = service.pool, service.producer
        opener = CaseOpener(pool, settings)
        rt = Runtime(settings=settings, pool=pool, wake_case_opener=opener.wake)
        consumer = build_consumer(settings, rt.unit_of_work, producer)
        app.state.runtime = rt
        app.state.producer = producer
        app.state.consumer = consumer
        try:
            await consumer.start()
            opener.start()
            log.info("clients service started", extra={"topics": settings.consumed_topics})
            yield
        finally:
            await opener.stop()
            await consumer.stop()


def _configured_app() -> FastAPI:
    settings = ClientsSettings()
    configure_logging("clients", settings.log_level)
    return create_app(settings)


app = _configured_app()
