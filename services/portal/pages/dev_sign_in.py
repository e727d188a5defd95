"""/dev/sign-in: pick a demo staff member (development only; 404 in production)."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.portal.demo_staff import demo_firms
from services.portal.dependencies import PortalDep
from services.portal.pages.sign_in import safe_next

router = APIRouter(tags=["development"])


@router.get("/dev/sign-in")
async def dev_sign_in(request: Request, rt: PortalDep, next: str = "") -> Response:
    """Every demo firm's staff, each with a "Sign in as NAME" button posting to /session."""
    if rt.settings.is_production:
        raise HTTPException(404)
    return rt.pages.render(request, "dev_sign_in.html", firms=await demo_firms(rt.settings,
                                                                                rt.api),
                           next=safe_next(next) if next else "")
