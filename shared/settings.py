"""Every setting of every service, read from the environment in this one place.

Each service subclasses `Settings` for what only it needs. Defaults suit a local run;
`APP_ENV=production` refuses to start while a secret keeps its development value, is shorter
than 32 bytes or is shared with another secret, and while SMTP credentials would travel
without TLS. Errors name the settings, never their values.
"""

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.tokens import SigningKeys, parse_previous_keys


@lru_cache(maxsize=32)
def _keys(kid: str, secret: str, previous_text: str) -> SigningKeys:
    """Settings are read once, their keys on every request: build each set once."""
    previous = parse_previous_keys(previous_text)
    kids = [kid.strip(), *(k for k, _ in previous)]
    if not kids[0] or len(set(kids)) != len(kids):
        raise ValueError("the kids must be non-empty and different")
    return SigningKeys(kid=kids[0], secret=secret, previous=previous)


DEV_SECRET_PREFIX = "dev-only-"
# An HMAC key shorter than the hash's 32-byte output weakens it; a short bearer token can be
# guessed.
MIN_SECRET_BYTES = 32
SECRET_FIELDS = ("auth_jwt_secret", "grant_signing_key", "unsubscribe_signing_key",
                 "internal_api_token", "verification_webhook_secret")
# Per kind of signed token: (current key, its kid, previous keys still accepted).
SIGNING_KEY_FIELDS = {
    "staff": ("auth_jwt_secret", "auth_jwt_kid", "auth_jwt_previous_keys"),
    "grant": ("grant_signing_key", "grant_signing_kid", "grant_signing_previous_keys"),
    "unsubscribe": ("unsubscribe_signing_key", "unsubscribe_signing_kid",
                    "unsubscribe_signing_previous_keys"),
}


class Settings(BaseSettings):
    # hide_input_in_errors: a refusal must not print the secrets it was given.
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True,
                                      hide_input_in_errors=True)

    app_env: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"

    database_url: str = "postgresql://portal:portal@127.0.0.1:5432/partner_portal"
    database_pool_min: int = 1
    database_pool_max: int = 10
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_replication_factor: int = 1
    # How often the outbox relay looks for rows when no NOTIFY woke it.
    outbox_poll_interval_seconds: float = Field(default=1.0, gt=0)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_tls: bool = False  # implicit TLS from the first byte (port 465), not STARTTLS
    mail_from: str = "Partner Portal <no-reply@partner-portal.local>"

    # Signing keys, one per kind of token; `*_PREVIOUS_KEYS` = "kid1:secret1,kid2:secret2".
    auth_jwt_secret: str = DEV_SECRET_PREFIX + "jwt-secret-change-me-0123456789"
    auth_jwt_kid: str = "staff-1"
    auth_jwt_previous_keys: str = ""
    grant_signing_key: str = DEV_SECRET_PREFIX + "grant-signing-key-change-me-0123456789"
    grant_signing_kid: str = "grant-1"
    grant_signing_previous_keys: str = ""
    unsubscribe_signing_key: str = DEV_SECRET_PREFIX + "unsubscribe-key-change-me-0123456789"
    unsubscribe_signing_kid: str = "unsubscribe-1"
    unsubscribe_signing_previous_keys: str = ""
    internal_api_token: str = DEV_SECRET_PREFIX + "internal-token"
    verification_webhook_secret: str = DEV_SECRET_PREFIX + "webhook-secret"

    digest_timezone: str = "Europe/Copenhagen"
    digest_hour: int = 10

    # Email links open the portal; in local runs its stand-in plays the client's account.
    public_base_url: str = "http://127.0.0.1:8000"
    client_account_base_url: str = "http://127.0.0.1:8000/client-account"
    onboarding_base_url: str = "http://127.0.0.1:8002"

    # Retention (docs/RETENTION.md), in days; pruned hourly in batches of this many rows.
    retention_batch_size: int = Field(default=1000, ge=1)
    retention_published_outbox_days: float = Field(default=7, gt=0)
    # Longer than Kafka keeps a message (7 days), so every redelivery is recognised by its id.
    retention_processed_events_days: float = Field(default=30, gt=7)
    # Deleted or exported expenses: at least as long as Kafka keeps the events about them.
    retention_settled_expense_days: float = Field(default=30, ge=7)

    # Request bodies over this many bytes are refused (413) before they are read; staff and
    # internal bodies are a few hundred bytes (HTTP_BODY_LIMIT_BYTES).
    http_body_limit_bytes: int = 16384

    @model_validator(mode="after")
    def _keys_and_smtp_are_usable(self) -> "Settings":
        for kind in SIGNING_KEY_FIELDS:
            self._signing_keys(kind)  # raises on a malformed list or a repeated kid
        if self.smtp_starttls and self.smtp_tls:
            raise ValueError("set SMTP_STARTTLS or SMTP_TLS, not both")
        return self

    @model_validator(mode="after")
    def _no_weak_secrets_in_production(self) -> "Settings":
        if self.app_env != "production":
            return self
        secrets = self._named_secrets()
        problems = []
        dev = [name for name, value in secrets if value.startswith(DEV_SECRET_PREFIX)]
        if dev:
            problems.append(f"set real secrets in {', '.join(dev)}")
        short = [name for name, value in secrets
                 if not value.startswith(DEV_SECRET_PREFIX)
                 and len(value.encode()) < MIN_SECRET_BYTES]
        if short:
            problems.append(f"{', '.join(short)} must be at least {MIN_SECRET_BYTES} bytes")
        by_value: dict[str, list[str]] = {}
        for name, value in secrets:
            by_value.setdefault(value, []).append(name)
        shared = [" = ".join(names) for names in by_value.values() if len(names) > 1]
        if shared:
            problems.append(f"each secret needs its own value ({'; '.join(shared)})")
        if (self.smtp_username or self.smtp_password) and not (self.smtp_starttls
                                                               or self.smtp_tls):
            problems.append("SMTP_USERNAME/SMTP_PASSWORD need SMTP_STARTTLS=true or "
                            "SMTP_TLS=true")
        if problems:
            raise ValueError("APP_ENV=production refuses to start: " + "; ".join(problems))
        return self

    def _named_secrets(self) -> list[tuple[str, str]]:
        """(setting name, value) of every secret, previous signing keys named by their kid."""
        named = [(f.upper(), getattr(self, f)) for f in SECRET_FIELDS]
        for _, _, previous_field in SIGNING_KEY_FIELDS.values():
            for kid, secret in parse_previous_keys(getattr(self, previous_field)):
                named.append((f"{previous_field.upper()} (kid {kid})", secret))
        return named

    def _signing_keys(self, kind: str) -> SigningKeys:
        key_field, kid_field, previous_field = SIGNING_KEY_FIELDS[kind]
        try:
            return _keys(getattr(self, kid_field), getattr(self, key_field),
                         getattr(self, previous_field))
        except ValueError as exc:
            raise ValueError(f"{kid_field.upper()}, {previous_field.upper()}: {exc}") from None

    @property  # not cached on the instance: model_copy(update=...) would keep stale keys
    def staff_keys(self) -> SigningKeys:
        """Keys of staff bearer tokens (AUTH_JWT_*)."""
        return self._signing_keys("staff")

    @property
    def grant_keys(self) -> SigningKeys:
        """Keys of "Go to client" grants (GRANT_SIGNING_*)."""
        return self._signing_keys("grant")

    @property
    def unsubscribe_keys(self) -> SigningKeys:
        """Keys of unsubscribe links (UNSUBSCRIBE_SIGNING_*)."""
        return self._signing_keys("unsubscribe")

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"
