"""Topic names (contracts) and how they are created."""

PLATFORM_EXPENSES = "platform.expenses.v1"
PLATFORM_WALLETS = "platform.wallets.v1"
PLATFORM_COMPANIES = "platform.companies.v1"
ONBOARDING_VERIFICATION = "onboarding.verification.v1"
PARTNER_CLIENTS = "partner.clients.v1"
NOTIFIER_TICKS = "notifier.ticks.v1"
NOTIFIER_EMAILS = "notifier.emails.v1"

ALL_TOPICS = (
    PLATFORM_EXPENSES,
    PLATFORM_WALLETS,
    PLATFORM_COMPANIES,
    ONBOARDING_VERIFICATION,
    PARTNER_CLIENTS,
    NOTIFIER_TICKS,
    NOTIFIER_EMAILS,
)

# One partition count for every topic: faust co-partitions the ones it joins.
DEFAULT_PARTITIONS = 6


def dlq_topic(topic: str) -> str:
    """The dead-letter twin of a topic."""
    return f"{topic}.dlq"
