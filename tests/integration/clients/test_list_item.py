"""The list item's SQL agrees with the domain it is derived from."""

import itertools

from services.clients.db.listing import tab_case
from services.clients.domain.visibility import VISIBLE_STATES, tab_of


async def test_the_tab_in_sql_is_the_domains_tab_of(pool):
    cases = list(itertools.product(VISIBLE_STATES, (True, False)))
    got = await pool.fetch(
        f"select s, m, {tab_case('s', 'm')} as tab"
        " from unnest($1::text[], $2::boolean[]) as c(s, m)",
        [s for s, _ in cases], [m for _, m in cases])
    assert {(r["s"], r["m"]): r["tab"] for r in got} == {c: tab_of(*c) for c in cases}
