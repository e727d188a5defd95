"""Settings of the notifier (everything else comes from `shared.settings`)."""

from email.utils import parseaddr

from pydantic import Field

from shared import topics
from shared.settings import Settings


class NotifierSettings(Settings):
    """Environment: NOTIFIER_* (app id, topics, consumer, sender), RETENTION_*_EMAIL_DAYS."""

    # Four agents, the sender (listener, claimer, recorder) and the outbox relay share it.
    database_pool_max: int = 16

    # The faust app id is also the consumer group and the `origin` of the emails it writes:
    # tests run their own notifier side by side with a unique one.
    notifier_app_id: str = "notifier"
    notifier_web_host: str = "127.0.0.1"
    notifier_web_port: int = 8003
    # faust insists on a data folder per app id even with in-memory stores.
    notifier_data_dir: str = ".run/faust"

    notifier_partner_topic: str = topics.PARTNER_CLIENTS
    # Named as in the clients service; read from the notifier's own variables as before
    # (NOTIFIER_EXPENSES_TOPIC, NOTIFIER_WALLETS_TOPIC), which keyword arguments use too.
    expenses_topic: str = Field(default=topics.PLATFORM_EXPENSES,
                                validation_alias="notifier_expenses_topic")
    wallets_topic: str = Field(default=topics.PLATFORM_WALLETS,
                               validation_alias="notifier_wallets_topic")
    notifier_ticks_topic: str = topics.NOTIFIER_TICKS
    notifier_emails_topic: str = topics.NOTIFIER_EMAILS

    notifier_scheduler_enabled: bool = True
    notifier_consumer_batch: int = 2000
    notifier_consumer_batch_seconds: float = 0.2
    # How soon the group notices a member that died without leaving (kill -9): its
    # partitions wait that long before another member (or its restart) gets them.
    notifier_session_timeout_seconds: float = 15.0
    # Kafka's own max.poll.interval, as the clients consumer has it (faust's default is
    # 1000 s): a member held up longer (PostgreSQL away) leaves the group and rejoins.
    notifier_max_poll_interval_seconds: float = Field(default=300.0, gt=0)

    # The sender: parallel SMTP connections, how many rows one claim takes, and how long a
    # claim is held before another sender may take the row over (a sender that died).
    notifier_smtp_connections: int = 32
    notifier_smtp_timeout_seconds: float = 30.0
    notifier_send_batch: int = 100
    notifier_send_lease_seconds: float = 120.0
    notifier_send_poll_seconds: float = 1.0
    notifier_send_max_attempts: int = 5
    notifier_retry_base_seconds: float = 30.0
    notifier_retry_max_seconds: float = 3600.0

    # Retention (docs/RETENTION.md): sent and failed emails, in days.
    retention_finished_email_days: float = Field(default=90, gt=7)

    @property
    def mail_domain(self) -> str:
        """The domain of MAIL_FROM: it names our Message-IDs and our EHLO."""
        address = parseaddr(self.mail_from)[1]
        return address.rpartition("@")[2] or "partner-portal.local"
