"""/docs of the clients service shows what every route answers, errors in the one shape."""

from services.clients.app import create_app
from services.clients.settings import ClientsSettings

TEXT = {"text/html", "text/plain"}


def _operations() -> list[tuple[str, dict]]:
    spec = create_app(ClientsSettings()).openapi()
    return [(f"{method.upper()} {path}", op)
            for path, ops in spec["paths"].items() for method, op in ops.items()]


def _declares_a_body(response: dict) -> bool:
    """A named model for JSON, a string for text; FastAPI's bare {} or dict is not one."""
    for media, content in response.get("content", {}).items():
        schema = content.get("schema", {})
        if "$ref" in str(schema) or (media in TEXT and schema.get("type") == "string"):
            return True
    return False


def _is_error_body(response: dict) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").endswith("/ErrorBody")


def test_every_route_declares_its_success_body():
    missing = [name for name, op in _operations()
               if not any(status.startswith("2") and _declares_a_body(response)
                          for status, response in op["responses"].items())]
    assert not missing, f"no 2xx response schema: {missing}"


def test_every_error_status_shows_the_one_error_shape():
    wrong = [f"{name} {status}" for name, op in _operations()
             for status, response in op["responses"].items()
             if status.startswith("4") and not _is_error_body(response)]
    assert not wrong, f"errors not in the one shape: {wrong}"
