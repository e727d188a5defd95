"""Tab counts and staff kept briefly per session: expiry, a change forgets the firm, bounded."""

from services.portal.list_cache import ListCache


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_kept_for_ttl_seconds_then_asked_again():
    clock = Clock()
    cache = ListCache(15, clock=clock)
    cache.put("firm", ("tok", "tabs"), [{"tab": "all", "count": 3}], cache.version("firm"))
    clock.now += 14.9
    assert cache.get("firm", ("tok", "tabs")) == [{"tab": "all", "count": 3}]
    assert cache.get("firm", ("other-token", "tabs")) is None
    clock.now += 0.1
    assert cache.get("firm", ("tok", "tabs")) is None


def test_a_change_forgets_every_session_of_that_firm_only():
    cache = ListCache(15, clock=Clock())
    for firm, token in (("a", "t1"), ("a", "t2"), ("b", "t3")):
        cache.put(firm, (token, "tabs"), token, cache.version(firm))
    cache.forget_firm("a")
    assert cache.get("a", ("t1", "tabs")) is None and cache.get("a", ("t2", "tabs")) is None
    assert cache.get("b", ("t3", "tabs")) == "t3"


def test_an_answer_asked_for_before_a_change_is_not_kept():
    cache = ListCache(15, clock=Clock())
    version = cache.version("a")  # a page asks for the counts ...
    cache.forget_firm("a")  # ... an accept happens while it waits ...
    cache.put("a", ("t1", "tabs"), "old counts", version)  # ... its answer may predate it
    assert cache.get("a", ("t1", "tabs")) is None


def test_zero_ttl_keeps_nothing():
    cache = ListCache(0, clock=Clock())
    cache.put("a", "k", "v", cache.version("a"))
    assert cache.get("a", "k") is None


def test_the_cache_stays_bounded():
    clock = Clock()
    cache = ListCache(15, max_entries=10, clock=clock)
    for n in range(10):
        cache.put(f"firm-{n}", "k", n, 0)
    clock.now += 20  # all expired: dropped to make room
    cache.put("new", "k", "v", 0)
    assert cache.get("new", "k") == "v" and cache.get("firm-0", "k") is None
    for n in range(30):  # all fresh: it starts over rather than grow
        cache.put(f"more-{n}", "k", n, 0)
    assert cache._size <= 10


def test_the_staff_list_is_kept_its_own_minute_while_counts_are_asked_every_page():
    clock = Clock()
    cache = ListCache(0, clock=clock)
    cache.put("a", ("t1", "tabs"), "counts", cache.version("a"))
    cache.put("a", ("t1", "staff"), "staff", cache.version("a"), ttl=60)
    assert cache.get("a", ("t1", "tabs")) is None
    clock.now += 59.9
    assert cache.get("a", ("t1", "staff")) == "staff"
    clock.now += 0.1
    assert cache.get("a", ("t1", "staff")) is None
    cache.put("a", ("t1", "staff"), "staff", cache.version("a"), ttl=60)
    cache.forget_firm("a")  # an assignee changed through the portal
    assert cache.get("a", ("t1", "staff")) is None
