"""What the routes get injected: the use cases, the settings, the internal-caller check."""

import hmac

from fastapi import Header, Request

from services.onboarding.service_layer.verification_cases import VerificationCases
from services.onboarding.settings import OnboardingSettings
from shared.http.errors import Unauthorized


def get_settings(request: Request) -> OnboardingSettings:
    return request.app.state.settings


def get_cases(request: Request) -> VerificationCases:
    return request.app.state.cases


def require_internal_caller(request: Request,
                            authorization: str | None = Header(default=None)) -> None:
    """Let through only callers holding `Authorization: Bearer <INTERNAL_API_TOKEN>`."""
    expected = get_settings(request).internal_api_token
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                             expected.encode()):
        raise Unauthorized("a valid internal bearer token is required")
