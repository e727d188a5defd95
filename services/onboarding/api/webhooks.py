"""POST /webhooks/verification: the provider's signed reports that move a case.

The signature is checked over the raw bytes before anything is parsed, so an unsigned or
forged request learns nothing (not even whether its body is valid) and changes nothing.
"""

import logging

from fastapi import APIRouter, Depends, Header, Request
from pydantic import ValidationError

from services.onboarding.api.dependencies import get_cases, get_settings
from services.onboarding.api.schemas import WebhookBody, WebhookOutcome
from services.onboarding.domain.case_states import IllegalTransition
from services.onboarding.domain.cases import CaseNotFound
from services.onboarding.domain.webhook_signature import body_digest, signature_matches
from services.onboarding.metrics import WEBHOOKS
from services.onboarding.service_layer.verification_cases import VerificationCases
from services.onboarding.settings import OnboardingSettings
from shared.events.guard import parse as parse_bounded_json
from shared.http.errors import Unauthorized, Unprocessable

log = logging.getLogger(__name__)

router = APIRouter(tags=["webhooks"])

PATH = "/webhooks/verification"


def parse_webhook_body(raw: bytes) -> WebhookBody:
    """The webhook body as a model; raise Unprocessable (422) when it is not one."""
    try:
        # The parser the consumers use: depth and integer size bounded before it recurses.
        doc = parse_bounded_json(raw)
    except ValueError:
        raise Unprocessable("the body is not valid JSON") from None
    try:
        return WebhookBody.model_validate(doc)
    except ValidationError as exc:
        details = [{"location": ".".join(str(p) for p in e["loc"]) or "body",
                    "message": e["msg"]} for e in exc.errors()]
        raise Unprocessable("the body is not a valid verification webhook",
                            details=details) from None


# The route reads the raw bytes itself (the signature covers them): document the body here.
_BODY_DOC = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": WebhookBody.model_json_schema()}}}}


@router.post(PATH, response_model=WebhookOutcome, openapi_extra=_BODY_DOC)
async def verification_webhook(
    request: Request,
    x_signature: str | None = Header(default=None),
    settings: OnboardingSettings = Depends(get_settings),
    cases: VerificationCases = Depends(get_cases),
) -> WebhookOutcome:
    """Apply a signed provider event to its case; replays answer 200 and change nothing."""
    raw = await request.body()
    if not signature_matches(raw, x_signature, settings.verification_webhook_secret):
        WEBHOOKS.labels("bad_signature").inc()
        message = ("X-Signature header is missing" if not x_signature
                   else "X-Signature does not match the body")
        raise Unauthorized(message, code="invalid_signature")
    try:
        body = parse_webhook_body(raw)
    except Unprocessable:
        WEBHOOKS.labels("invalid").inc()
        raise
    try:
        result = await cases.apply_provider_event(case_id=body.case_id, event=body.event,
                                                  reason=body.reason,
                                                  body_sha256=body_digest(raw))
    except CaseNotFound:
        WEBHOOKS.labels("unknown_case").inc()
        raise
    except IllegalTransition as exc:
        WEBHOOKS.labels("illegal").inc()
        log.warning("illegal verification transition refused: %s", exc,
                    extra={"case_id": str(body.case_id), "event": body.event})
        raise
    WEBHOOKS.labels("applied" if result.applied else "replay").inc()
    log.info("verification webhook %s", "applied" if result.applied else "replayed",
             extra={"case_id": str(body.case_id), "event": body.event,
                    "state": result.case.state})
    return WebhookOutcome(case_id=result.case.id, state=result.case.state,
                          applied=result.applied)
