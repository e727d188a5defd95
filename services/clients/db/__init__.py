"""Repositories and migrations of the clients schema."""

# Every statement of this service filters by key columns that have an index, so the plan
# does not depend on the values: planning once per connection (generic plans) instead of
# for every execution halved the page query's cost (0.95 -> 0.53 ms, docs/BENCHMARKS.md).
# A search is the exception and asks for its own plan (db/listing.py).
SESSION_SETTINGS = {"plan_cache_mode": "force_generic_plan"}
