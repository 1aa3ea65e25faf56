"""Ask a question across meetings; get an answer where every line cites the words it rests on.

    question ─ parse (intent, time, people, goal, topic) ─┬─ items (extracted, by meaning)
                                                          └─ passages (hybrid search)
            ─ offline composition, or an LLM from numbered passages ─ citation check ─ Answer

Nothing relevant found → a plain "I found nothing …" with `found=False`, never a guess.
"""

from __future__ import annotations

from datetime import date

from assistant.askparts import compose
from assistant.askparts.llm import ask_llm, build_sources, check_citations
from assistant.askparts.parse import Context, parse_question
from assistant.askparts.retrieve import Passage, Retriever, ScoredItem, people_teams
from assistant.askparts.types import Answer, Citation, Question, TimeRange
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
                time_range=q.time_range,
                found=False,
            )
        offline_answer = self._offline(q, items, passages, retriever, today, speaker_silent)
        chat = None if offline else self.chat
        if chat is None:
            return offline_answer
        try:
            return self._with_llm(chat, q, items, passages, today)
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
        book = compose.CitationBook(retriever.meeting)
        lines: list[str] = []
        said_head = ""
        if speaker_silent:
            who = " or ".join(q.speakers)
            said_head = f"I found nothing {who} said{compose.about(q)}; others said:"
        used = [s.item for s in items]
        if q.intent == "goal":
            goal = next((g for g in self.liaison.goals() if g.id == q.goal_id), None)
            if goal is not None:
                lines += compose.goal_lines(goal)
            if items:
                # Without a known goal the items only match the words, they are not linked.
                head = "Items linked to it:" if goal is not None else "Recorded items:"
                lines += [head, *compose.item_lines(items, book, today)]
            if passages:
                lines += compose.passages(q, passages[:3], book, "What was said about it:")
        elif items and q.intent == "decisions":
            lines += compose.decisions(q, items, book, retriever.superseder, retriever.meeting)
        elif items and q.intent == "actions":
            teams = people_teams(retriever.all_items())
            lines += compose.actions(q, items, book, today, teams)
        elif items and q.intent == "parking":
            lines += compose.parking(q, items, book, today, retriever.meeting)
        else:
            if q.intent != "general":
                kind = {"decisions": "decisions", "actions": "action items",
                        "parking": "parking-lot snags"}[q.intent]  # fmt: skip
                lines.append(f"I found no recorded {kind}{compose.about(q)}.")
                items, used = [], []
            if items and q.intent == "general":
                lines += ["Recorded items:", *compose.item_lines(items[:8], book, today)]
                used = [s.item for s in items[:8]]
            if passages:
                lines += compose.passages(q, passages, book, said_head)
        return Answer(
            answer="\n".join(lines),
            citations=book.citations,
            items=used,
            intent=q.intent,
            time_range=q.time_range,
            found=True,
        )

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
            time_range=q.time_range,
            flagged=bool(removed) or not cited,
            found=True,
            mode="llm",
            note=note,
        )
