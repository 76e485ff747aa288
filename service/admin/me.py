"""GET /v1/me: who the presented token is, so a client (the web page) can show the right view.

Every role may ask, and only about itself; the answer holds no secret (the token is never echoed).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from service.http.deps import CurrentPrincipal

router = APIRouter(prefix="/v1", tags=["admin"])


class Me(BaseModel):
    token_id: int
    name: str
    role: str
    units: list[str]


@router.get("/me", response_model=Me, summary="The calling token's name, role and unit scope")
def read_me(principal: CurrentPrincipal) -> Me:
    return Me(token_id=principal.token_id, name=principal.name, role=principal.role, units=list(principal.units))
