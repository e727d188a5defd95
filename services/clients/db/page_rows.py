"""Which rows a page reads, in tiers: one for a list, two for a ranked search.

A tier is a function (tier number, extra conditions, limit) -> a query of the tier's rows
(tier, client_id, sort_value) in the list's order. A ranked search (domain/search.py)
lists the word starts, then the matches inside words.

The common search (a firm's tab by name, three characters or more) reads its word starts
on a generic plan like any page: one keyset range scan of the prefix index (migration
0011). Everything else of a search is planned for its own pattern (db/listing.py
`read_page`): a rare pattern is read from the trigram index, a common one by walking the
list's order.
"""

from collections.abc import Callable

from services.clients.domain.listing import ListPlan
from services.clients.domain.search import RANKED_FROM_LENGTH

Tier = Callable[[int, list[str], str], str]
SORT_COLUMN = {"name": "name_key", "missing_receipts": "missing_receipts",
               "ready_for_export": "ready_for_export"}
FIRM_LIST = ["d.firm_id = $1", "d.state = $3"]


def uses_prefixes(plan: ListPlan) -> bool:
    """Whether the search is the common one, read from the prefix index."""
    return (plan.search is not None and plan.search.ranked and plan.sort == "name"
            and plan.assigned_to is None and not plan.missing_only)


def ordered(plan: ListPlan, source: str, where: list[str]) -> Tier:
    """The rows of `source` (as `d`) that meet `where`, in the list's order."""
    col = SORT_COLUMN[plan.sort]

    def tier(number: int, extra: list[str], limit: str) -> str:
        return f"""
            select {number} as tier, d.client_id, d.{col} as sort_value from {source}
             where {' and '.join([*where, *extra])}
             order by {_order(plan)} limit {limit}"""
    return tier


def search_tiers(plan: ListPlan, arg, source: str, where: list[str],
                 wanted: range) -> dict[int, Tier]:
    """The `wanted` tiers of a search; `arg` adds a statement argument, returns its $n."""
    search, numbers = plan.search, {}

    def fold(name: str, once: bool) -> str:
        """The search's `name` folded; in a subquery when `once` (a generic plan folds
        per row otherwise; a custom plan folds the constant and estimates from it)."""
        if name not in numbers:
            numbers[name] = arg(getattr(search, name))
        folded = f"clients.fold_text({numbers[name]})"
        return f"(select {folded})" if once else folded

    def word_start(once: bool = False) -> str:
        return (f"char_length({fold('text', once)}) >= {RANKED_FROM_LENGTH}"
                f" and ({{key}} like {fold('first_word', once)}"
                f" or {{key}} like {fold('later_word', once)})")

    if not search.ranked:
        return {0: ordered(plan, source, [*where, _matching(
            plan, f"{{key}} like {fold('anywhere', False)}")])}
    tiers = {}
    if 0 in wanted and uses_prefixes(plan):
        tiers[0] = ordered(plan, "clients.search_prefixes d", [
            *FIRM_LIST, f"d.prefix = left({fold('text', True)}, {RANKED_FROM_LENGTH})",
            _matching(plan, word_start(once=True))])
    elif 0 in wanted:
        tiers[0] = ordered(plan, source, [*where, _matching(plan, word_start())])
    if 1 in wanted:
        inside = f"{{key}} like {fold('anywhere', False)} and not ({word_start()})"
        tiers[1] = ordered(plan, source, [*where, _matching(plan, inside)])
    return tiers


def _order(plan: ListPlan) -> str:
    direction = "desc" if plan.descending else "asc"
    return f"d.{SORT_COLUMN[plan.sort]} {direction}, d.client_id {direction}"


def _matching(plan: ListPlan, condition: str) -> str:
    """`condition` on the search key `{key}` of row `d` (a link, or an assignment's link)."""
    if plan.assigned_to is None:
        return condition.format(key="d.search_key")
    return ("exists (select 1 from clients.links sl where sl.firm_id = $1"
            f" and sl.client_id = d.client_id and {condition.format(key='sl.search_key')})")
