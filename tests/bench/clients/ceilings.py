"""The stack's own ceilings beside the clients service (run by bench_latency.py, not alone).

Two bare routes on the same stack and server settings as the service (FastAPI, asyncpg
pool, one uvicorn worker with httptools and uvloop, no access log):
  GET /select-1  `select 1` on a pooled connection: HTTP + FastAPI + asyncpg, nothing else;
  GET /page      the first page's statement (the one GET /v1/clients runs for the admin's
                 first page by name), planned once with fixed parameters, its JSON text
                 returned as is: the list's SQL and nothing of the service around it.
The first page's saturation rate as a ratio to each says what the service's own layers
(auth, the staff check, planning, cursor, JSON) cost on top of the stack and of the SQL.

Configured by the runner through CEILING_DSN, CEILING_SECRET and CEILING_CALLER (JSON).
"""

import contextlib
import json
import os
from uuid import UUID

from fastapi import FastAPI, Response

from services.clients.db import SESSION_SETTINGS
from services.clients.db.listing import page_document_query
from services.clients.domain.listing import ListRequest, plan_list
from services.clients.domain.visibility import Caller
from shared.db.pool import create_pool

FIRST_PAGE = ListRequest(tab="all", sort="name", limit=50)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    caller = json.loads(os.environ["CEILING_CALLER"])
    caller = Caller(**dict(caller, id=UUID(caller["id"]), firm_id=UUID(caller["firm_id"])))
    app.state.statement = page_document_query(
        plan_list(caller, FIRST_PAGE, os.environ["CEILING_SECRET"]))
    # The service's pool size and session settings (bench_client_list.start_service).
    app.state.pool = await create_pool(os.environ["CEILING_DSN"], max_size=20,
                                       server_settings=SESSION_SETTINGS)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/select-1")
async def select_1() -> Response:
    async with app.state.pool.acquire() as conn:
        value = await conn.fetchval("select 1")
    return Response(f'{{"value":{value}}}', media_type="application/json")


@app.get("/page")
async def page() -> Response:
    sql, args = app.state.statement
    async with app.state.pool.acquire() as conn:
        row = await conn.fetchrow(sql, *args)
    return Response(f'{{"items":[{row["items"]}],"next_cursor":null}}',
                    media_type="application/json")
