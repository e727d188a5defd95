"""Mint a staff bearer token for local use; refused with APP_ENV=production.

Tokens minted here carry `dev: true`, which the clients service refuses in production mode,
so a token made on a laptop never opens a production portal even with a leaked secret.

Run: .venv/bin/python -m services.clients.dev_token <staff_id> [--hours 12]
"""

import argparse
import sys
import uuid
from datetime import timedelta

from services.clients.settings import ClientsSettings
from shared.tokens import mint_staff_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("staff_id", type=uuid.UUID, help="id of the staff member")
    parser.add_argument("--hours", type=float, default=12.0, help="validity (default 12)")
    args = parser.parse_args(argv)
    settings = ClientsSettings()
    if settings.is_production:
        print("refusing: development tokens are not for APP_ENV=production", file=sys.stderr)
        return 2
    print(mint_staff_token(args.staff_id, settings.staff_keys,
                           ttl=timedelta(hours=args.hours)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
