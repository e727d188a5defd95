"""Signed tokens: what they name, that forged or expired ones are refused, and key rotation."""

import base64
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared.tokens import (
    InvalidToken, SigningKeys, make_client_access_grant, make_unsubscribe_token,
    mint_staff_token, parse_previous_keys, read_client_access_grant, read_staff_token,
    read_unsubscribe_token)

SECRET = "s" * 32
KEYS = SigningKeys(kid="staff-1", secret=SECRET)
GRANT_KEYS = SigningKeys(kid="grant-1", secret="g" * 32)
UNSUBSCRIBE_KEYS = SigningKeys(kid="unsubscribe-1", secret="u" * 32)


def test_staff_token_round_trip_and_refusals():
    staff = uuid.uuid4()
    assert read_staff_token(mint_staff_token(staff, KEYS), KEYS) == staff
    with pytest.raises(InvalidToken, match="invalid"):
        read_staff_token(mint_staff_token(staff, SigningKeys("staff-1", "other" * 8)), KEYS)
    old = mint_staff_token(staff, KEYS, now=datetime.now(UTC) - timedelta(days=2))
    with pytest.raises(InvalidToken, match="expired"):
        read_staff_token(old, KEYS)


def test_a_remembered_staff_token_still_expires():
    staff = uuid.uuid4()
    token = mint_staff_token(staff, KEYS, ttl=timedelta(minutes=10))
    assert read_staff_token(token, KEYS) == staff  # verified and remembered
    later = datetime.now(UTC) + timedelta(minutes=11)
    with pytest.raises(InvalidToken, match="expired"):
        read_staff_token(token, KEYS, now=later)
    assert read_staff_token(token, KEYS) == staff


def test_development_tokens_are_refused_in_production():
    token = mint_staff_token(uuid.uuid4(), KEYS)
    assert read_staff_token(token, KEYS) == read_staff_token(token, KEYS)
    with pytest.raises(InvalidToken, match="production"):  # even when accepted before
        read_staff_token(token, KEYS, accept_dev=False)


def test_unsubscribe_token_is_not_a_staff_token():
    staff, clients = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()]
    token = make_unsubscribe_token(staff, clients, KEYS)  # even under the same key
    assert read_unsubscribe_token(token, KEYS) == (staff, clients)
    with pytest.raises(InvalidToken):
        read_staff_token(token, KEYS)


def test_client_access_grant_lasts_five_minutes_for_client_account():
    now = datetime.now(UTC).replace(microsecond=0)
    client, staff, grant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    token, expires = make_client_access_grant(grant_id=grant, client_id=client, staff_id=staff,
                                              keys=GRANT_KEYS, now=now)
    assert expires - now == timedelta(minutes=5)
    claims = jwt.decode(token, GRANT_KEYS.secret, algorithms=["HS256"],
                        audience="client-account")
    assert (claims["client_id"], claims["staff_id"], claims["jti"]) == (
        str(client), str(staff), str(grant))
    assert read_client_access_grant(token, GRANT_KEYS)["jti"] == str(grant)


def test_minted_tokens_are_what_pyjwt_would_sign_with_the_kid():
    now = datetime(2026, 3, 30, 8, 0, 0, 123456, tzinfo=UTC)
    staff, clients = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()]
    claims = {"sub": str(staff), "iss": "partner-portal", "aud": "partner-portal/unsubscribe",
              "clients": [str(c) for c in clients], "iat": now, "exp": now + timedelta(days=90)}
    expected = jwt.encode(claims, UNSUBSCRIBE_KEYS.secret, algorithm="HS256",
                          headers={"kid": "unsubscribe-1"})
    assert make_unsubscribe_token(staff, clients, UNSUBSCRIBE_KEYS, now=now) == expected
    claims = {"sub": str(staff), "iss": "partner-portal", "aud": "partner-portal", "dev": True,
              "iat": now, "exp": now + timedelta(hours=12)}
    assert mint_staff_token(staff, KEYS, now=now) == jwt.encode(
        claims, SECRET, algorithm="HS256", headers={"kid": "staff-1"})


@pytest.mark.parametrize("keys", [KEYS, GRANT_KEYS, UNSUBSCRIBE_KEYS])
def test_every_token_names_its_key_in_the_header(keys):
    staff = uuid.uuid4()
    tokens = [mint_staff_token(staff, keys), make_unsubscribe_token(staff, [], keys),
              make_client_access_grant(grant_id=staff, client_id=staff, staff_id=staff,
                                       keys=keys)[0]]
    for token in tokens:
        assert jwt.get_unverified_header(token) == {"alg": "HS256", "kid": keys.kid,
                                                    "typ": "JWT"}


def test_a_staff_token_without_kid_is_checked_against_the_current_key():
    """The contract: the platform signs HS256 with AUTH_JWT_SECRET, no kid header."""
    staff = uuid.uuid4()
    claims = {"sub": str(staff), "iss": "partner-portal", "aud": "partner-portal",
              "exp": datetime.now(UTC) + timedelta(hours=1)}
    rotated = SigningKeys("staff-2", SECRET, previous=(("staff-1", "o" * 32),))
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    assert read_staff_token(token, rotated, accept_dev=False) == staff
    by_old_key = jwt.encode(claims, "o" * 32, algorithm="HS256")  # no kid: not the old key
    with pytest.raises(InvalidToken, match="(?i)signature"):
        read_staff_token(by_old_key, rotated)


def test_unknown_kid_is_refused():
    staff = uuid.uuid4()
    unknown = SigningKeys("staff-9", SECRET)  # right secret, a kid the reader does not know
    for token, read in (
            (mint_staff_token(staff, unknown), lambda t: read_staff_token(t, KEYS)),
            (make_unsubscribe_token(staff, [], unknown),
             lambda t: read_unsubscribe_token(t, SigningKeys("staff-1", SECRET)))):
        with pytest.raises(InvalidToken, match="unknown key id"):
            read(token)
    _, rest = mint_staff_token(staff, KEYS).split(".", 1)
    kid_not_a_string = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":7}').rstrip(b"=")
    with pytest.raises(InvalidToken):
        read_staff_token(f"{kid_not_a_string.decode()}.{rest}", KEYS)


@pytest.mark.parametrize("read_staff", [True, False])
def test_a_key_still_verifies_while_previous_and_not_once_removed(read_staff):
    staff = uuid.uuid4()
    old = SigningKeys("k-1", "1" * 32)
    during = SigningKeys("k-2", "2" * 32, previous=(("k-1", "1" * 32),))
    after = SigningKeys("k-2", "2" * 32)
    if read_staff:
        token = mint_staff_token(staff, old)
        assert read_staff_token(token, old) == staff     # remembered under the old keys
        assert read_staff_token(token, during) == staff  # old key still listed
        assert read_staff_token(mint_staff_token(staff, during), during) == staff
        with pytest.raises(InvalidToken, match="unknown key id"):
            read_staff_token(token, after)                # removed: the cache does not help
    else:
        token = make_unsubscribe_token(staff, [staff], old)
        assert read_unsubscribe_token(token, during) == (staff, [staff])
        with pytest.raises(InvalidToken, match="unknown key id"):
            read_unsubscribe_token(token, after)


def test_one_purposes_key_never_verifies_for_another():
    staff = uuid.uuid4()
    grant, _ = make_client_access_grant(grant_id=staff, client_id=staff, staff_id=staff,
                                        keys=GRANT_KEYS)
    unsubscribe = make_unsubscribe_token(staff, [], UNSUBSCRIBE_KEYS)
    staff_token = mint_staff_token(staff, KEYS)
    for token in (grant, unsubscribe):
        with pytest.raises(InvalidToken):
            read_staff_token(token, KEYS)
    for token in (grant, staff_token):
        with pytest.raises(InvalidToken):
            read_unsubscribe_token(token, UNSUBSCRIBE_KEYS)
    for token in (unsubscribe, staff_token):
        with pytest.raises(InvalidToken):
            read_client_access_grant(token, GRANT_KEYS)
    # Same claims, another purpose's key: refused by kid before the audience is looked at.
    with pytest.raises(InvalidToken, match="unknown key id"):
        read_staff_token(mint_staff_token(staff, GRANT_KEYS), KEYS)


def test_previous_keys_are_parsed_and_malformed_lists_refused():
    assert parse_previous_keys("") == ()
    assert parse_previous_keys(" a:x:y , b:z ,") == (("a", "x:y"), ("b", "z"))
    for bad in ("nokid", ":secret", "kid:"):
        with pytest.raises(ValueError, match="kid:secret") as info:
            parse_previous_keys(bad)
        assert "secret" not in str(info.value).replace("kid:secret", "")


def test_keys_never_show_their_secrets():
    keys = SigningKeys("k-2", "2" * 32, previous=(("k-1", "1" * 32),))
    assert "2" * 32 not in repr(keys) and "1" * 32 not in repr(keys) and "k-2" in repr(keys)
