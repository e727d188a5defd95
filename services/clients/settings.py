"""Settings of the clients service (everything else comes from `shared.settings`)."""

from pydantic import Field

from shared import topics
from shared.settings import Settings


class ClientsSettings(Settings):
    """Environment: CLIENTS_CONSUMER_GROUP, CASE_OPENER_*, RETENTION_*, LIST_DEFAULT_LIMIT, ..."""

    clients_consumer_group: str = "clients"
    # The contract topics; tests point them at topics of their own.
    expenses_topic: str = topics.PLATFORM_EXPENSES
    wallets_topic: str = topics.PLATFORM_WALLETS
    companies_topic: str = topics.PLATFORM_COMPANIES
    verification_topic: str = topics.ONBOARDING_VERIFICATION
    announce_topic: str = topics.PARTNER_CLIENTS

    # Retrying the opening of verification cases while the onboarding service is away.
    case_opener_poll_seconds: float = Field(default=2.0, gt=0)
    case_opener_max_backoff_seconds: float = Field(default=60.0, gt=0)
    case_opener_timeout_seconds: float = Field(default=5.0, gt=0)
    # A claimed opening is due again after this long if its claimer died mid-call.
    case_opener_lease_seconds: float = Field(default=30.0, gt=0)

    # Retention (docs/RETENTION.md), in days.
    retention_audit_log_days: float = Field(default=365, gt=0)
    retention_expired_grant_days: float = Field(default=30, gt=0)
    retention_resolved_reminder_days: float = Field(default=180, gt=0)
    retention_opened_case_days: float = Field(default=30, gt=0)

    list_default_limit: int = Field(default=50, ge=1, le=200)

    @property
    def consumed_topics(self) -> list[str]:
        return [self.expenses_topic, self.wallets_topic, self.companies_topic,
                self.verification_topic]
