"""Liveness and basic figures."""

from fastapi import APIRouter

from assistant import __version__
from assistant.api.deps import LiaisonDep
from assistant.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up?")
def health(liaison: LiaisonDep):
    stats = liaison.stats()
    return Health(
        status="ok",
        version=__version__,
        meetings=stats["meetings"],
        chunks=stats["chunks"],
        embedder=stats["embedder"],
        index=stats["index"],
    )
