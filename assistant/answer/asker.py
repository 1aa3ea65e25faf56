"""Ask a question across meetings; get an answer where every sentence cites the words it rests on.

    question ─ understand (kind of answer, topic, time, people, status) ─┬─ items (by meaning)
                                                                        └─ passages (search)
            ─ offline sentences for the kind asked, or an LLM from numbered sources ─ citation check

Nothing relevant found → a plain "I found nothing …" / "I found no decision …" with
`found=False`, never a guess.
"""

from __future__ import annotations

from datetime import date

from assistant.answer import compose, history
from assistant.answer.cite import CitationBook
from assistant.answer.llm import ask_llm, build_sources, check_citations
from assistant.answer.question import Context, parse_question
from assistant.answer.retrieve import Passage, Retriever, ScoredItem, people_teams
from assistant.answer.types import Answer, Citation, Question, TimeRange
from assistant.errors import InvalidInput, LLMUnavailable
from assistant.models import MeetingKind, SearchFilters
from assistant.prompts import PromptLibrary

__all__ = ["Answer", "Asker", "Citation", "Question", "TimeRange"]

MAX_ITEMS = 15  # per answer: more is a report, not an answer
MAX_QUESTION_CHARS = 2000


class Asker:
    """Answers questions about the meetings of one `Liaison`.

    `chat` (a `ChatModel`) writes the answer from numbered passages; None uses the settings'
    LLM when `llm_base_url` is set, else answers offline. The relevance floors decide when
    "nothing found" is said: an item or passage counts with cosine ≥ `min_similarity` to the
    topic, or with at least `min_coverage` of the topic's words.
    """

    def __init__(
        self,
        liaison,
        chat=None,
        *,
        min_similarity: float = 0.45,
        min_coverage: float = 0.5,
        prompts: PromptLibrary | None = None,
    ):
        self.liaison = liaison
        self._chat = chat
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self.prompts = prompts or PromptLibrary()

    @property
    def chat(self):
        """The chat model to use, or None for offline answers."""
        if self._chat is None and self.liaison.settings.llm_base_url:
            from assistant.extract.factory import make_chat

            self._chat = make_chat(self.liaison.settings)
        return self._chat

    def _retriever(self) -> Retriever:
        return Retriever(
            self.liaison, min_similarity=self.min_similarity, min_coverage=self.min_coverage
        )

    def understand(self, question: str, today: date | None = None) -> Question:
        """Parse a question against what the corpus knows (people, goals, meeting dates)."""
        today = today or date.today()
        retriever = self._retriever()

        def latest(kind: MeetingKind) -> date | None:
            found, _ = self.liaison.meetings(SearchFilters(kind=kind, until=today), limit=1)
            return found[0].date if found else None

        ctx = Context(
            today=today,
            speakers=retriever.speakers(),
            goals=self.liaison.goals(),
            latest_meeting=latest,
        )
        return parse_question(question, ctx)

    def ask(self, question: str, today: date | None = None, *, offline: bool = False) -> Answer:
        """Answer `question` as of `today` (default: the real today). `offline` skips the LLM."""
        if not question or not question.strip():
            raise InvalidInput("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        today = today or date.today()
        q = self.understand(question, today)
        retriever = self._retriever()
        items = retriever.items(q, today)[:MAX_ITEMS]
        passages, speaker_silent = retriever.passages(q)
        if not items and not passages:
            return Answer(
                answer=compose.nothing_found(q),
                intent=q.intent,
                asks=q.asks,
                time_range=q.time_range,
                found=False,
            )
        offline_answer = self._offline(q, items, passages, retriever, today, speaker_silent)
        chat = None if offline else self.chat
        if chat is None:
            return offline_answer
        try:
            # The same items the offline answer is made of: those about the asked topic.
            shown = compose.on_topic(items, 0.6, q) if q.topic else items
            return self._with_llm(chat, q, shown, passages, today)
        except LLMUnavailable as exc:
            return offline_answer.model_copy(
                update={
                    "note": f"The LLM was unavailable ({exc}); this answer was composed offline."
                }  # fmt: skip
            )

    # ----------------------------------------------------------------- offline

    def _offline(
        self,
        q: Question,
        items: list[ScoredItem],
        passages: list[Passage],
        retriever: Retriever,
        today: date,
        speaker_silent: bool = False,
    ) -> Answer:
        ctx = compose.Context(CitationBook(retriever.meeting), retriever, today)
        lines = self._write(ctx, q, items, passages, speaker_silent)
        found = bool(lines) and bool(ctx.book.citations or q.asks == "goal")
        if not found:
            kind = None if q.intent in ("general", "goal") else q.intent
            if q.asks in ("owner", "status") and q.intent == "general":
                kind = "actions"
            lines = [compose.nothing_found(q, kind) if kind else compose.nothing_found(q)]
            # What was said about it, even without an item, is still worth a look.
            if kind and passages:
                lines += compose.passages(ctx, q, passages[:2], "The closest mentions:")
        cited_items = {c.meeting_id for c in ctx.book.citations}
        used = [s.item for s in items if s.meeting.id in cited_items and _named(s, ctx)]
        return Answer(
            answer="\n".join(lines),
            citations=ctx.book.citations,
            items=used if found else [],
            intent=q.intent,
            asks=q.asks,
            time_range=q.time_range,
            found=found,
        )

    def _write(
        self,
        ctx: compose.Context,
        q: Question,
        items: list[ScoredItem],
        passages: list[Passage],
        speaker_silent: bool,
    ) -> list[str]:
        """The answer's lines for the kind of question; [] when nothing answers it."""
        if q.asks == "goal":
            lines: list[str] = []
            goal = next((g for g in self.liaison.goals() if g.id == q.goal_id), None)
            if goal is not None:
                lines += compose.goal_lines(goal)
            if items:
                # Without a known goal the items only match the words, they are not linked.
                head = "Items linked to it:" if goal is not None else "Recorded items:"
                lines += [head, *compose.item_lines(ctx, items)]
            if passages:
                lines += compose.passages(ctx, q, passages[:3], "What was said about it:")
            return lines
        teams = people_teams(ctx.retriever.all_items()) if q.intent == "actions" else {}
        writers = {
            "decision": lambda: compose.decisions(ctx, q, items),
            "owner": lambda: compose.owner(ctx, q, items),
            "status": lambda: compose.status(ctx, q, items, teams),
            "list": lambda: compose.parking(ctx, q, items),
            "reason": lambda: history.reasons(ctx, q, items),
            "changes": lambda: history.changes(ctx, q, items),
        }
        if q.asks in writers:
            lines = writers[q.asks]()
            if q.asks == "reason" and passages and len(lines) < 3:
                lines += compose.passages(ctx, q, passages[:3], "What was said about it:")
            return lines
        if q.intent == "actions":
            return compose.actions_list(ctx, q, items, teams)
        if q.intent == "parking":
            return compose.parking(ctx, q, items)
        if q.intent == "decisions":
            return compose.decisions(ctx, q, items)
        lines = []
        if speaker_silent:
            who = " or ".join(q.speakers)
            lines.append(f"I found nothing {who} said{compose.about(q)}; others said:")
        shown = compose.on_topic(items, 0.6, q)[:8]
        if shown:
            lines += ["Recorded items:", *compose.item_lines(ctx, shown)]
        if passages:
            lines += compose.passages(ctx, q, passages, "What was said:" if shown else "")
        return lines

    # ----------------------------------------------------------------- LLM

    def _with_llm(
        self,
        chat,
        q: Question,
        items: list[ScoredItem],
        passages: list[Passage],
        today: date,
    ) -> Answer:
        sources = build_sources(items, passages)
        raw = ask_llm(chat, q.text, sources, today, self.prompts)
        if not raw.strip():
            raise LLMUnavailable("LLM answered with an empty message")
        text, cited, removed = check_citations(raw, {s.n for s in sources})
        by_n = {s.n: s.citation for s in sources}
        note = None
        if removed:
            note = "Removed citations to passages that do not exist: " + ", ".join(
                f"[{n}]" for n in dict.fromkeys(removed)
            )
        elif not cited:
            note = "The answer cites no passage: check it against the meetings."
        return Answer(
            answer=text,
            citations=[by_n[n] for n in sorted(cited)],
            items=[s.item for s in items],
            intent=q.intent,
            asks=q.asks,
            time_range=q.time_range,
            flagged=bool(removed) or not cited,
            found=True,
            mode="llm",
            note=note,
        )


def _named(scored: ScoredItem, ctx: compose.Context) -> bool:
    """Whether the answer cites this item's own words (so it is one the answer is made of)."""
    quotes = {(c.meeting_id, c.quote) for c in ctx.book.citations}
    return (scored.item.meeting_id, scored.item.evidence[0].quote) in quotes or any(
        (e.meeting_id or scored.item.meeting_id, e.quote) in quotes for e in scored.item.evidence
    )
