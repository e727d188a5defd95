"""The session cookie and CSRF tokens: what one session signs, no other session can use."""

from services.portal.sessions import (Session, csrf_token, csrf_valid, decode_session,
                                      encode_session)

SECRET = "s" * 40
ME = {"id": "a1", "firm_id": "f1", "name": "Daan de Vries", "role": "bookkeeper",
      "locale": "nl"}


def test_a_cookie_reads_back_into_its_session():
    session = Session.of("tok.en.value", ME)
    assert decode_session(encode_session(session, SECRET), SECRET) == session
    assert not session.is_admin


def test_a_tampered_or_foreign_cookie_is_no_session():
    value = encode_session(Session.of("tok", ME), SECRET)
    version, signature, payload = value.split(".")
    forged = encode_session(Session.of("tok", {**ME, "role": "admin"}), SECRET).split(".")[2]
    assert decode_session(f"{version}.{signature}.{forged}", SECRET) is None
    assert decode_session(value, "another-secret" * 3) is None
    for garbage in (None, "", "v1", "v1..", "v2." + value[3:], "v1.x.%%%"):
        assert decode_session(garbage, SECRET) is None


def test_csrf_tokens_belong_to_one_session():
    mine, theirs = Session.of("token-1", ME), Session.of("token-2", ME)
    assert csrf_valid(mine, SECRET, csrf_token(mine, SECRET))
    assert not csrf_valid(mine, SECRET, csrf_token(theirs, SECRET))
    assert not csrf_valid(mine, SECRET, None)
    assert not csrf_valid(mine, SECRET, "")
