"""The `q` search: a substring anywhere in name or registration number.

Case and accents are folded by the database (clients.fold_text, the same function that
builds the indexed search key), so `cafe` finds `Café Noir B.V.` with one set of rules.
"""

MAX_QUERY_LENGTH = 100


def like_pattern(q: str | None) -> str | None:
    """A LIKE pattern matching `q` literally anywhere; None when there is nothing to match."""
    if q is None:
        return None
    words = " ".join(q.split())
    if not words:
        return None
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
