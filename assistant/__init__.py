"""Liaison: the meeting assistant for a CIO, a CMO and their teams.

Data flows one way: parse (ingest/) -> store (store/) -> chunk -> embed/index (embed, vectors)
-> extract (extract/) -> track -> answer (search, ask) / digest (digest/).
`service.Liaison` wires the parts; `cli` and `api` are thin skins over it.
"""

__version__ = "0.1.0"
