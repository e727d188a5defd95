"""Production refuses weak, shared or development secrets, and SMTP logins without TLS."""

import pytest
from pydantic import ValidationError

from shared.settings import Settings

STRONG = {
    "auth_jwt_secret": "A" * 32, "grant_signing_key": "G" * 32,
    "unsubscribe_signing_key": "U" * 32, "internal_api_token": "I" * 32,
    "verification_webhook_secret": "W" * 32,
}
NAMES = {"auth_jwt_secret": "AUTH_JWT_SECRET", "grant_signing_key": "GRANT_SIGNING_KEY",
         "unsubscribe_signing_key": "UNSUBSCRIBE_SIGNING_KEY",
         "internal_api_token": "INTERNAL_API_TOKEN",
         "verification_webhook_secret": "VERIFICATION_WEBHOOK_SECRET"}


def production(**overrides) -> Settings:
    return Settings(**{"app_env": "production", **STRONG, **overrides})


def refusal(**overrides) -> str:
    with pytest.raises(ValidationError) as info:
        production(**overrides)
    return str(info.value)


def test_strong_distinct_secrets_start():
    settings = production()
    assert settings.staff_keys.secret == "A" * 32 and settings.grant_keys.secret == "G" * 32


@pytest.mark.parametrize("field", list(STRONG))
def test_a_secret_shorter_than_32_bytes_is_named_and_its_value_is_not(field):
    short = "short-secret-value-31-bytes-xxx"
    assert len(short) == 31
    message = refusal(**{field: short})
    assert NAMES[field] in message and "at least 32 bytes" in message
    assert short not in message
    assert [n for n in NAMES.values() if n in message] == [NAMES[field]]


def test_length_counts_bytes_not_characters():
    assert production(internal_api_token="é" * 16).internal_api_token == "é" * 16
    assert "INTERNAL_API_TOKEN" in refusal(internal_api_token="é" * 15 + "x")


@pytest.mark.parametrize("field", list(STRONG))
def test_development_values_are_refused_in_production(field):
    message = refusal(**{field: Settings.model_fields[field].default})
    assert NAMES[field] in message and "real secrets" in message
    assert Settings.model_fields[field].default not in message


def test_each_purpose_needs_its_own_key():
    message = refusal(grant_signing_key="A" * 32)
    assert "AUTH_JWT_SECRET = GRANT_SIGNING_KEY" in message and "A" * 32 not in message


def test_previous_keys_are_held_to_the_same_rules():
    message = refusal(auth_jwt_previous_keys="old-1:tooshort")
    assert "AUTH_JWT_PREVIOUS_KEYS (kid old-1)" in message and "tooshort" not in message
    assert production(auth_jwt_previous_keys="old-1:" + "o" * 32).staff_keys.previous == (
        ("old-1", "o" * 32),)
    assert "each secret needs its own value" in refusal(
        unsubscribe_signing_previous_keys="u-0:" + "G" * 32)


def test_development_mode_keeps_short_local_values_and_distinct_defaults():
    settings = Settings(app_env="development", internal_api_token="short")
    assert settings.internal_api_token == "short"
    keys = [settings.staff_keys, settings.grant_keys, settings.unsubscribe_keys]
    assert len({k.secret for k in keys}) == 3 and len({k.kid for k in keys}) == 3


@pytest.mark.parametrize("previous", ["staff-1:" + "x" * 32, "a:" + "x" * 32 + ",a:" + "y" * 32,
                                      "no-separator"])
def test_kids_must_be_distinct_and_lists_well_formed_in_any_mode(previous):
    with pytest.raises(ValidationError, match="AUTH_JWT_PREVIOUS_KEYS") as info:
        Settings(auth_jwt_previous_keys=previous)
    assert "x" * 32 not in str(info.value)


def test_smtp_credentials_need_tls_in_production():
    message = refusal(smtp_username="mailer", smtp_password="p" * 20)
    assert "SMTP_USERNAME/SMTP_PASSWORD need SMTP_STARTTLS=true or SMTP_TLS=true" in message
    assert "p" * 20 not in message
    assert "SMTP" in refusal(smtp_password="p" * 20)
    assert production(smtp_username="mailer", smtp_password="p", smtp_starttls=True)
    assert production(smtp_username="mailer", smtp_password="p", smtp_tls=True, smtp_port=465)
    assert production(smtp_starttls=False)  # no credentials: a local relay may be plain


def test_starttls_and_implicit_tls_exclude_each_other():
    with pytest.raises(ValidationError, match="SMTP_STARTTLS or SMTP_TLS, not both"):
        Settings(smtp_starttls=True, smtp_tls=True)


def test_a_refusal_read_from_the_environment_does_not_echo_it(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("AUTH_JWT_SECRET", "leaky-but-short")
    with pytest.raises(ValidationError) as info:
        Settings()
    assert "AUTH_JWT_SECRET" in str(info.value) and "leaky-but-short" not in str(info.value)
