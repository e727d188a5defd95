"""Signed tokens: what they name, and that forged or expired ones are refused."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared.tokens import (
    InvalidToken, make_client_access_grant, make_unsubscribe_token, mint_staff_token,
    read_staff_token, read_unsubscribe_token)

SECRET = "s" * 32


def test_staff_token_round_trip_and_refusals():
    staff = uuid.uuid4()
    assert read_staff_token(mint_staff_token(staff, SECRET), SECRET) == staff
    with pytest.raises(InvalidToken, match="invalid"):
        read_staff_token(mint_staff_token(staff, "other" * 8), SECRET)
    old = mint_staff_token(staff, SECRET, now=datetime.now(UTC) - timedelta(days=2))
    with pytest.raises(InvalidToken, match="expired"):
        read_staff_token(old, SECRET)


def test_a_remembered_staff_token_still_expires():
    staff = uuid.uuid4()
    token = mint_staff_token(staff, SECRET, ttl=timedelta(minutes=10))
    assert read_staff_token(token, SECRET) == staff  # verified and remembered
    later = datetime.now(UTC) + timedelta(minutes=11)
    with pytest.raises(InvalidToken, match="expired"):
        read_staff_token(token, SECRET, now=later)
    assert read_staff_token(token, SECRET) == staff


def test_development_tokens_are_refused_in_production():
    token = mint_staff_token(uuid.uuid4(), SECRET)
    assert read_staff_token(token, SECRET) == read_staff_token(token, SECRET)
    with pytest.raises(InvalidToken, match="production"):  # even when accepted before
        read_staff_token(token, SECRET, accept_dev=False)


def test_unsubscribe_token_is_not_a_staff_token():
    staff, clients = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()]
    token = make_unsubscribe_token(staff, clients, SECRET)
    assert read_unsubscribe_token(token, SECRET) == (staff, clients)
    with pytest.raises(InvalidToken):
        read_staff_token(token, SECRET)


def test_client_access_grant_lasts_five_minutes_for_client_account():
    now = datetime.now(UTC).replace(microsecond=0)
    client, staff, grant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    token, expires = make_client_access_grant(grant_id=grant, client_id=client, staff_id=staff,
                                              secret=SECRET, now=now)
    assert expires - now == timedelta(minutes=5)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="client-account")
    assert (claims["client_id"], claims["staff_id"], claims["jti"]) == (
        str(client), str(staff), str(grant))


def test_minted_tokens_are_what_pyjwt_would_sign():
    now = datetime(2026, 3, 30, 8, 0, 0, 123456, tzinfo=UTC)
    staff, clients = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()]
    claims = {"sub": str(staff), "iss": "partner-portal", "aud": "partner-portal/unsubscribe",
              "clients": [str(c) for c in clients], "iat": now, "exp": now + timedelta(days=90)}
    expected = jwt.encode(claims, SECRET, algorithm="HS256")
    assert make_unsubscribe_token(staff, clients, SECRET, now=now) == expected
    claims = {"sub": str(staff), "iss": "partner-portal", "aud": "partner-portal", "dev": True,
              "iat": now, "exp": now + timedelta(hours=12)}
    assert mint_staff_token(staff, SECRET, now=now) == jwt.encode(claims, SECRET,
                                                                  algorithm="HS256")
