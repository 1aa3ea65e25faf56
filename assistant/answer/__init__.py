"""Answer a question across meetings; every sentence cites the words it rests on.

question.py  what is asked: the kind of answer, topic terms, time scope, people, status
retrieve.py  the items and transcript passages about that topic (never writes)
compose.py   offline answers, written as sentences chosen by the kind of question
llm.py       the same retrieval given to an LLM as numbered sources; citations checked
asker.py     `Asker`: wires the steps together and falls back offline
types.py     Question, TimeRange, Citation, Answer
"""

from assistant.answer.asker import Asker
from assistant.answer.types import Answer, Citation, Question, TimeRange

__all__ = ["Answer", "Asker", "Citation", "Question", "TimeRange"]
