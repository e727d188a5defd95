"""Verification progress at the onboarding service moves links between tabs.

An event for a link we do not have, or one that moves nothing (stale, duplicated, or for a
link that does not follow verification), is logged and counted.
"""

import logging

from services.clients.db.unit_of_work import ClientsUnitOfWork
from services.clients.domain.links import Stays, VerificationStep
from services.clients.metrics import VERIFICATION_IGNORED
from services.clients.service_layer.links import apply_move
from shared.events.schemas import VerificationStateChanged

log = logging.getLogger(__name__)


async def verification_moved(uow: ClientsUnitOfWork, event_id: str,
                             data: VerificationStateChanged) -> None:
    """Move the client's link as far as its verification case got (never backwards)."""
    applied = await apply_move(uow, firm_id=data.firm_id, client_id=data.client_id,
                               move=VerificationStep(data.to_state))
    if not isinstance(applied.outcome, Stays):
        return
    VERIFICATION_IGNORED.labels(applied.outcome.reason).inc()
    if applied.link is None:
        log.warning("verification event for a client not linked to the firm",
                    extra={"event_id": event_id, "client_id": str(data.client_id),
                           "firm_id": str(data.firm_id)})
    else:
        log.info("verification event moves nothing",
                 extra={"event_id": event_id, "link_state": applied.link.state,
                        "to_state": data.to_state})
