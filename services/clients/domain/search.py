"""The `q` search: a substring anywhere in name or registration number, word starts first.

Case and accents are folded by the database (clients.fold_text, the same function that
builds the indexed search key), so `cafe` finds `Café Noir B.V.` with one set of rules.
Results come in two tiers, each in the list's own order: first the clients where `q`
starts a word (after a space, or at the start), then those where it occurs only inside a
word. Queries of fewer than three characters (after folding) have one tier.
"""

from dataclasses import dataclass

MAX_QUERY_LENGTH = 100
# Word-start matches come first from this length on; the prefix index (migration 0011)
# holds the first three characters of every word start.
RANKED_FROM_LENGTH = 3


@dataclass(frozen=True, slots=True)
class Search:
    """`q` with its whitespace collapsed, and the LIKE patterns that find it literally."""

    text: str
    anywhere: str
    first_word: str  # q at the start of the search key
    later_word: str  # q after a space in it

    @property
    def ranked(self) -> bool:
        """Whether word-start matches come first (the database checks the folded length)."""
        return len(self.text) >= RANKED_FROM_LENGTH


def search_of(q: str | None) -> Search | None:
    """What `q` looks for; None when there is nothing to match."""
    if q is None:
        return None
    text = " ".join(q.split())
    if not text:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Search(text=text, anywhere=f"%{escaped}%", first_word=f"{escaped}%",
                  later_word=f"% {escaped}%")
