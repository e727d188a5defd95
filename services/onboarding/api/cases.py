"""Internal routes: open a verification case (idempotently) and read one with its history."""

from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from services.onboarding.api.dependencies import get_cases, require_internal_caller
from services.onboarding.api.schemas import CaseDetail, CaseSummary, OpenCaseRequest
from services.onboarding.service_layer.verification_cases import VerificationCases

router = APIRouter(prefix="/internal/v1/cases", tags=["cases"],
                   dependencies=[Depends(require_internal_caller)])


@router.post("", status_code=201, response_model=CaseSummary,
             responses={200: {"model": CaseSummary, "description": "the case already existed"}})
async def open_case(body: OpenCaseRequest,
                    cases: VerificationCases = Depends(get_cases)) -> JSONResponse:
    """Open the case of (client, firm) in `invited`; a repeat returns the same case with 200."""
    case, created = await cases.open(client_id=body.client_id, firm_id=body.firm_id,
                                     contact_email=body.contact_email, case_id=body.case_id)
    return JSONResponse(CaseSummary.of(case).model_dump(mode="json"), 201 if created else 200)


@router.get("/{case_id}", response_model=CaseDetail)
async def read_case(case_id: UUID, cases: VerificationCases = Depends(get_cases)) -> CaseDetail:
    """The case and every state it went through, oldest first."""
    case, history = await cases.read(case_id)
    return CaseDetail.of_history(case, history)
