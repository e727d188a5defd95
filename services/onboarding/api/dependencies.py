"""What the routes get injected: the use cases, the settings, the internal-caller check."""

from fastapi import Request

from services.onboarding.service_layer.verification_cases import VerificationCases
from services.onboarding.settings import OnboardingSettings
from shared.http.bearer import internal_caller_check


def get_settings(request: Request) -> OnboardingSettings:
    return request.app.state.settings


def get_cases(request: Request) -> VerificationCases:
    return request.app.state.cases


require_internal_caller = internal_caller_check(
    lambda request: get_settings(request).internal_api_token,
    message="a valid internal bearer token is required")
