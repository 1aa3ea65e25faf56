"""Build the extractor the settings ask for: offline by default, the LLM (with offline
fallback) when an endpoint is configured."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from assistant.config import Settings
from assistant.embed import Embedder
from assistant.extract.base import Extractor
from assistant.models import ExtractionResult, Goal, Meeting, Team, Turn


def make_offline(embedder: Embedder, teams: Callable[[], Mapping[str, Team]] | None = None):
    """The offline extractor; `teams` gives the people directory (name -> side) when asked."""
    from assistant.extract.offline import OfflineExtractor

    # The offline classifier was trained on MiniLM vectors; any other embedder would feed it
    # vectors from a different space, so it keeps its own MiniLM then.
    return OfflineExtractor(embedder if embedder.name == "all-MiniLM-L6-v2" else None, teams=teams)


def make_chat(settings: Settings):
    from assistant.chat import OpenAIChatModel

    if not settings.llm_base_url:
        from assistant.errors import ConfigError

        raise ConfigError("no LLM configured: set LIAISON_LLM_BASE_URL (and LIAISON_LLM_MODEL)")
    return OpenAIChatModel(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


class NoExtractor:
    """Extracts nothing: for users who only want transcripts stored and searchable."""

    name = "none"

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        return ExtractionResult(items=[], extractor=self.name)


def make_extractor(
    settings: Settings,
    embedder: Embedder,
    which: str | None = None,
    teams: Callable[[], Mapping[str, Team]] | None = None,
) -> Extractor:
    """`which` is 'offline', 'llm', 'none' or None (follow the settings); `teams` reads the
    people directory (name -> side) at each extraction."""
    if (which or settings.extractor) == "none":
        return NoExtractor()
    use_llm = settings.use_llm if which is None else which == "llm"
    offline = make_offline(embedder, teams)
    if not use_llm:
        return offline
    from assistant.extract.fallback import FallbackExtractor
    from assistant.extract.llm import LLMExtractor

    llm = LLMExtractor(make_chat(settings), context_tokens=settings.llm_context_tokens)
    return FallbackExtractor(llm, offline)
