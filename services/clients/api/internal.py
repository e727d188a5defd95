"""/internal routes: the platform's own service-to-service calls (fixtures, migrations)."""

from uuid import UUID

from fastapi import APIRouter, Depends, Response

from services.clients.api.dependencies import UowDep, internal_caller
from services.clients.api.responses import CompanyOut, FirmOut, LinkOut, StaffOut
from services.clients.api.schemas import ClientIn, FirmIn, LinkIn, StaffChange, StaffIn
from services.clients.db.directory import Company, Firm, Staff
from services.clients.service_layer import directory
from services.clients.service_layer.directory import DirectlyLinked
from shared.http.errors import error_responses

router = APIRouter(prefix="/internal/v1", tags=["internal"],
                   dependencies=[Depends(internal_caller)],
                   responses=error_responses(401, 413, 422))


@router.post("/firms", status_code=201, response_model=FirmOut)
async def create_firm(body: FirmIn, uow: UowDep) -> Firm:
    """Create a firm."""
    return await directory.create_firm(uow, name=body.name)


@router.post("/firms/{firm_id}/staff", status_code=201, response_model=StaffOut,
             responses=error_responses(404, 409))
async def create_staff(firm_id: UUID, body: StaffIn, uow: UowDep) -> Staff:
    """Create a staff member of a firm (announced as staff.upserted)."""
    return await directory.create_staff(uow, firm_id=firm_id, **body.model_dump())


@router.patch("/staff/{staff_id}", response_model=StaffOut, responses=error_responses(404))
async def change_staff(staff_id: UUID, body: StaffChange, uow: UowDep) -> Staff:
    """Change a staff member's name, role, locale or active flag (announced)."""
    return await directory.update_staff(uow, staff_id=staff_id,
                                        changes=body.model_dump(exclude_none=True))


@router.post("/clients", status_code=201, response_model=CompanyOut,
             responses=error_responses(409))
async def create_client(body: ClientIn, uow: UowDep) -> Company:
    """Create a client company."""
    return await directory.create_client(uow, name=body.name, client_id=body.id,
                                         registration_number=body.registration_number,
                                         country=body.country)


@router.post("/firms/{firm_id}/links", status_code=201, response_model=LinkOut,
             responses={200: {"model": LinkOut, "description": "linked so already"},
                        **error_responses(404, 409)})
async def link_client(firm_id: UUID, body: LinkIn, response: Response,
                      uow: UowDep) -> DirectlyLinked:
    """Link a client to a firm as active or invitation_pending (200 when already so)."""
    link, created = await directory.link_client(uow, firm_id=firm_id,
                                                client_id=body.client_id, state=body.state)
    if not created:
        response.status_code = 200
    return link
