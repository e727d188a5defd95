"""The list and the single client are JSON text from the database: their documented models
(responses.py) must name exactly the fields they hold."""

from services.clients.api.responses import ClientOut, ClientPageOut


def _same_fields(model, body: dict) -> None:
    assert set(body) == set(model.model_fields), (set(body) ^ set(model.model_fields))
    model.model_validate(body)


async def test_list_page_and_single_client_match_their_documented_models(api, world):
    firm = await world.firm()
    admin = await world.staff(firm, "admin")
    keeper = await world.staff(firm)
    bare = await world.client(firm, name="Bare B.V.")
    full = await world.client(firm, name="Full B.V.")
    await world.assign(admin, full, keeper)
    await world.figures(full, missing=1, ready=2, balance=500)
    await world.client(firm, "invitation_pending", name="Invited B.V.")
    for tab in ("all", "invitations"):
        page = (await api.get("/v1/clients", params={"tab": tab},
                              headers=admin.headers)).json()
        _same_fields(ClientPageOut, page)
        for item in page["items"]:
            _same_fields(ClientOut, item)
    for client in (bare, full):
        _same_fields(ClientOut, (await api.get(f"/v1/clients/{client}",
                                               headers=admin.headers)).json())
