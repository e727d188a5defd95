"""Settings of the onboarding service (everything else comes from `shared.settings`)."""

from pydantic import Field

from shared import topics
from shared.settings import Settings


class OnboardingSettings(Settings):
    """Environment: VERIFICATION_EXPIRY_DAYS, EXPIRY_JOB_INTERVAL_SECONDS, VERIFICATION_TOPIC."""

    # A case still `invited` or `in_review` this many days after it was opened expires.
    verification_expiry_days: int = Field(default=30, ge=1)
    expiry_job_interval_seconds: float = Field(default=3600.0, gt=0)
    expiry_job_batch_size: int = Field(default=500, ge=1)
    # The contract topic; tests point it at a topic of their own.
    verification_topic: str = topics.ONBOARDING_VERIFICATION
    # Retention (docs/RETENTION.md): the history of cases that ended this many days ago.
    retention_finished_case_history_days: float = Field(default=365, gt=0)
    # The provider's webhook body is a case id, an event and a short reason.
    webhook_body_limit_bytes: int = Field(default=4096, ge=1)
