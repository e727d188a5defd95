"""Every setting of every service, read from the environment in this one place.

Each service subclasses `Settings` for what only it needs. Defaults suit a local run;
`APP_ENV=production` refuses to start while a secret still has its development value.
"""

from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_PREFIX = "dev-only-"
SECRET_FIELDS = ("auth_jwt_secret", "internal_api_token", "verification_webhook_secret")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    app_env: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"

    database_url: str = "postgresql://portal:portal@127.0.0.1:5432/partner_portal"
    database_pool_min: int = 1
    database_pool_max: int = 10
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_replication_factor: int = 1

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Partner Portal <no-reply@partner-portal.local>"

    auth_jwt_secret: str = DEV_SECRET_PREFIX + "jwt-secret-change-me-0123456789"
    internal_api_token: str = DEV_SECRET_PREFIX + "internal-token"
    verification_webhook_secret: str = DEV_SECRET_PREFIX + "webhook-secret"

    digest_timezone: str = "Europe/Copenhagen"
    digest_hour: int = 10

    public_base_url: str = "http://127.0.0.1:8001"
    client_account_base_url: str = "http://127.0.0.1:8080/client-account"
    onboarding_base_url: str = "http://127.0.0.1:8002"

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> "Settings":
        if self.app_env == "production":
            weak = [f for f in SECRET_FIELDS if getattr(self, f).startswith(DEV_SECRET_PREFIX)]
            if weak:
                names = ", ".join(f.upper() for f in weak)
                raise ValueError(f"APP_ENV=production needs real secrets; set {names}")
        return self

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"
