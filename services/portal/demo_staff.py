"""Who /dev/sign-in offers: the firms of the admins named in the demo file, via the API.

The portal reads no database. The demo seeding (deploy/demo/seed_demo.py) writes the ids
of the firm it made to `.run/demo/demo.json` (DEV_STAFF_FILE); the portal mints a
development token for each admin named there (as deploy/demo.sh does), asks the API who
that is (`/v1/me`) and who works at their firm (`/v1/staff`), and mints a token per person.
Development tokens carry `dev: true` and are refused in production, where the route is 404.
"""

import asyncio
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from services.portal.api_client import ApiProblem, ClientsApi
from services.portal.settings import PortalSettings
from shared.tokens import mint_staff_token


@dataclass(frozen=True, slots=True)
class DemoPerson:
    name: str
    role: str
    token: str


def admin_ids(path: Path) -> list[str]:
    """The admin ids of the demo file (`admin_id`, and any `admin_ids`); [] when absent."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    ids = [data.get("admin_id"), *data.get("admin_ids", [])]
    return list(dict.fromkeys(str(i) for i in ids if i))


async def demo_firms(settings: PortalSettings, api: ClientsApi) -> list[list[DemoPerson]]:
    """Per firm of the demo file, its active staff (admins first) with a fresh token each."""
    firms = await asyncio.gather(*(_firm(settings, api, a)
                                   for a in admin_ids(Path(settings.dev_staff_file))))
    return [firm for firm in firms if firm]


async def _firm(settings: PortalSettings, api: ClientsApi, admin_id: str) -> list[DemoPerson]:
    try:
        token = mint_staff_token(uuid.UUID(admin_id), settings.staff_keys)
        staff = await api.as_staff(token).staff()
    except (ValueError, ApiProblem):  # not an id, or no longer an admin of a firm
        return []
    staff.sort(key=lambda s: (s["role"] != "admin", s["name"]))
    return [DemoPerson(name=s["name"], role=s["role"],
                       token=mint_staff_token(uuid.UUID(str(s["id"])), settings.staff_keys))
            for s in staff]
