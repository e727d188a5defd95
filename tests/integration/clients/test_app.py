"""The whole app with its lifespan: health routes, and announcements relayed to Kafka."""

import asyncio
import uuid

import httpx
from aiokafka import AIOKafkaConsumer

from services.clients.app import create_app
from shared.events import decode


async def test_running_app_is_ready_and_relays_its_announcements(clients_settings, settings,
                                                               make_topics, unique):
    names = {n: f"test.clients.{unique}.{n}" for n in
             ("expenses", "wallets", "companies", "verification", "announce")}
    await make_topics(*names.values())
    app_settings = clients_settings.model_copy(update={
        "expenses_topic": names["expenses"], "wallets_topic": names["wallets"],
        "companies_topic": names["companies"], "verification_topic": names["verification"],
        "announce_topic": names["announce"], "clients_consumer_group": f"test.{unique}",
        "outbox_poll_interval_seconds": 0.1})
    app = create_app(app_settings)
    internal = {"Authorization": f"Bearer {settings.internal_api_token}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clients") as http:
            assert (await http.get("/healthz")).json() == {"status": "ok"}
            ready = await http.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["checks"] == {"postgres": "ok", "kafka": "ok", "consumer": "ok"}
            assert "events_handled_total" in (await http.get("/metrics")).text
            firm = (await http.post("/internal/v1/firms", json={"name": "Relay"},
                                    headers=internal)).json()["id"]
            staff = (await http.post(f"/internal/v1/firms/{firm}/staff", headers=internal,
                                     json={"email": f"{unique}@relay.example", "name": "R",
                                           "role": "admin", "locale": "en"})).json()
            reader = AIOKafkaConsumer(names["announce"], auto_offset_reset="earliest",
                                      bootstrap_servers=settings.kafka_bootstrap_servers)
            await reader.start()
            try:
                events = []
                for _ in range(50):
                    batch = await reader.getmany(timeout_ms=200)
                    events += [decode(r.value) for rs in batch.values() for r in rs]
                    if events:
                        break
            finally:
                await reader.stop()
            # A consumer whose loop is gone makes the service not ready.
            app.state.consumer._task.cancel()
            await asyncio.gather(app.state.consumer._task, return_exceptions=True)
            dead = await http.get("/readyz")
            assert dead.status_code == 503
            assert dead.json()["checks"]["consumer"] == "failing"
    [event] = events
    assert event.type == "staff.upserted" and str(event.data.staff_id) == staff["id"]
    assert event.envelope.subject == staff["id"] and event.envelope.source == "/partner/clients"
    assert uuid.UUID(event.id)
