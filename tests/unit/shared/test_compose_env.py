"""docker-compose.yml cannot run here, so check that it sets what the services read."""

from pathlib import Path

import pytest
import yaml

from shared.settings import Settings

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[3] / "docker-compose.yml").read_text())
SERVICES = ("clients", "onboarding", "notifier")
# ARCHITECTURE "Settings": the names other systems and operators rely on.
CONTRACT = {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME",
            "SMTP_PASSWORD", "SMTP_STARTTLS", "MAIL_FROM", "AUTH_JWT_SECRET", "INTERNAL_API_TOKEN",
            "VERIFICATION_WEBHOOK_SECRET", "DIGEST_TIMEZONE", "DIGEST_HOUR", "PUBLIC_BASE_URL",
            "CLIENT_ACCOUNT_BASE_URL"}


def _environment(service: str) -> dict:
    return COMPOSE["services"][service]["environment"]


@pytest.mark.parametrize("service", SERVICES)
def test_every_shared_setting_is_set_for_the_service(service):
    wanted = {name.upper() for name in Settings.model_fields} | CONTRACT
    assert wanted - set(_environment(service)) == set()


@pytest.mark.parametrize("service", SERVICES)
def test_services_run_in_production_mode_with_required_secrets(service):
    env = _environment(service)
    assert env["APP_ENV"] == "production"
    for secret in ("AUTH_JWT_SECRET", "GRANT_SIGNING_KEY", "UNSUBSCRIBE_SIGNING_KEY",
                   "INTERNAL_API_TOKEN", "VERIFICATION_WEBHOOK_SECRET"):
        assert env[secret].startswith(f"${{{secret}:?"), f"{secret} must be required"


@pytest.mark.parametrize("service", SERVICES)
def test_services_wait_for_healthy_infrastructure_and_migrations(service):
    depends = COMPOSE["services"][service]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["kafka"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "healthcheck" in COMPOSE["services"][service]


def test_the_portal_runs_in_production_against_the_clients_service():
    """The web app: every portal setting set, its session secret required, no database."""
    from services.portal.settings import PortalSettings

    env = _environment("portal")
    wanted = {name.upper() for name in Settings.model_fields} | CONTRACT
    wanted |= {name.upper() for name in set(PortalSettings.model_fields) - set(Settings.model_fields)
               if name not in ("dev_staff_file", "portal_port", "session_cookie_secure")}
    assert wanted - set(env) == set()
    assert env["APP_ENV"] == "production"
    assert env["CLIENTS_API_URL"] == "http://clients:8001"
    assert env["PORTAL_SESSION_SECRET"].startswith("${PORTAL_SESSION_SECRET:?")
    assert env["PUBLIC_BASE_URL"].endswith(":-http://localhost:8000}")
    service = COMPOSE["services"]["portal"]
    assert service["depends_on"] == {"clients": {"condition": "service_healthy"}}
    assert "8000:8000" in service["ports"] and "healthcheck" in service
