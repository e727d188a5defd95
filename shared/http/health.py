"""/healthz (the process answers), /readyz (its dependencies answer) and /metrics."""

from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

ReadinessCheck = Callable[[], Awaitable[bool]]


class Liveness(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, Literal["ok", "failing"]]


def health_router(checks: Callable[[], Mapping[str, ReadinessCheck]]) -> APIRouter:
    """Routes whose /readyz runs `checks()` (name -> async check) and reports each one."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Liveness)
    async def healthz() -> dict:
        """Liveness: the process is up."""
        return {"status": "ok"}

    @router.get("/readyz", response_model=Readiness,
                responses={503: {"model": Readiness, "description": "not ready"}})
    async def readyz() -> JSONResponse:
        """Readiness: every dependency (PostgreSQL, Kafka) answers."""
        results = {name: await check() for name, check in checks().items()}
        ready = bool(results) and all(results.values())
        return JSONResponse({"status": "ready" if ready else "not_ready",
                             "checks": {k: "ok" if v else "failing" for k, v in results.items()}},
                            200 if ready else 503)

    @router.get("/metrics", response_class=PlainTextResponse)
    async def metrics() -> Response:
        """Prometheus metrics of this process."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
