"""Liaison as an MCP server: an assistant (Claude, an IDE agent) reads the meeting memory and
proposes changes that a member approves.

    server.py   build_server(liaison, identify): the MCP server; stdio_identity, http_identity
    tools.py    the tools: read (search, ask, items, meetings, goals, glossary) and propose
    http.py     mount_mcp(app): streamable HTTP at /mcp on `liaison serve`, same tokens and roles
"""
