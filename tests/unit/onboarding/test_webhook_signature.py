"""Webhook signatures: HMAC-SHA256 of the raw body, `sha256=<hex>`."""

import hashlib
import hmac

import pytest

from services.onboarding.domain.webhook_signature import body_digest, sign, signature_matches

SECRET = "s3cret"
BODY = b'{"case_id": "c", "event": "approved"}'


def test_sign_is_the_hmac_of_the_body():
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert sign(BODY, SECRET) == f"sha256={expected}"


def test_a_correct_signature_matches_in_either_hex_case():
    assert signature_matches(BODY, sign(BODY, SECRET), SECRET)
    assert signature_matches(BODY, "sha256=" + sign(BODY, SECRET)[7:].upper(), SECRET)


@pytest.mark.parametrize("header", [
    None, "", "sha256=", "sha256=00", sign(BODY, "other-secret"), sign(BODY + b" ", SECRET),
    sign(BODY, SECRET)[7:],  # the hex without its "sha256=" prefix
    "sha1=" + sign(BODY, SECRET)[7:], "sha256=zz" + sign(BODY, SECRET)[9:],
])
def test_anything_else_does_not_match(header):
    assert not signature_matches(BODY, header, SECRET)


def test_body_digest_is_sha256_hex():
    assert body_digest(BODY) == hashlib.sha256(BODY).hexdigest()
    assert body_digest(BODY) != body_digest(BODY + b"\n")
