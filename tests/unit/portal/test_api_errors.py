"""The API's 4xx answers as typed errors pages can show (problem_of)."""

import json

from services.portal.api_client import ApiProblem, NotSignedIn, problem_of


def test_our_error_shape_gives_code_message_and_fields():
    body = json.dumps({"error": {"code": "validation_error", "message": "country is invalid",
                                 "details": [{"location": "body.country"}]}}).encode()
    problem = problem_of(422, body, "Unprocessable Entity")
    assert type(problem) is ApiProblem
    assert (problem.status, problem.code, problem.message) == (422, "validation_error",
                                                               "country is invalid")
    assert problem.invalid_fields() == {"country"}


def test_401_is_not_signed_in():
    body = json.dumps({"error": {"code": "unauthorized", "message": "token expired"}}).encode()
    assert isinstance(problem_of(401, body, "Unauthorized"), NotSignedIn)


def test_a_body_that_is_not_ours_still_reads():
    problem = problem_of(404, b"<html>Not Found</html>", "Not Found")
    assert (problem.code, problem.message, problem.invalid_fields()) == ("error", "Not Found",
                                                                          set())
    assert problem_of(400, b"", None).message == "request refused"
