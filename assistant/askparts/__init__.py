"""The parts of "ask": understand the question, retrieve, compose an answer, check citations.

`assistant/ask.py` (`Asker`) wires them together; each module here owns one step.
"""
