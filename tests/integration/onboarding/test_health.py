"""/healthz, /readyz (PostgreSQL and Kafka really checked) and /metrics."""


async def test_health_routes(calls):
    assert (await calls.http.get("/healthz")).json() == {"status": "ok"}
    ready = await calls.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"postgres": "ok", "kafka": "ok"}}


async def test_metrics_count_webhook_outcomes(calls):
    await calls.webhook_raw(b"{}", signature=None)
    metrics = (await calls.http.get("/metrics")).text
    assert 'onboarding_webhooks_total{outcome="bad_signature"}' in metrics
