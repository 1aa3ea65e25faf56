"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.service import Liaison


def get_liaison(request: Request) -> Liaison:
    return request.app.state.liaison


LiaisonDep = Annotated[Liaison, Depends(get_liaison)]
