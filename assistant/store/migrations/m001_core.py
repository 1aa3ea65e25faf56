"""Meetings, their turns, the chunks (with their vectors) and the full-text index."""

import sqlite3

from assistant.store.migrations import execute_script


def up(conn: sqlite3.Connection) -> None:
    execute_script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'other',
            source_name TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL UNIQUE,
            attendees TEXT NOT NULL DEFAULT '[]',
            turn_count INTEGER NOT NULL DEFAULT 0,
            word_count INTEGER NOT NULL DEFAULT 0,
            duration_s REAL,
            created_at TEXT NOT NULL,
            extractor TEXT,
            extraction_note TEXT
        );
        CREATE INDEX meetings_date ON meetings(date);

        CREATE TABLE turns (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT,
            text TEXT NOT NULL,
            start_s REAL,
            end_s REAL,
            PRIMARY KEY (meeting_id, idx)
        );

        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            turn_start INTEGER NOT NULL,
            turn_end INTEGER NOT NULL,
            start_s REAL,
            end_s REAL,
            speakers TEXT NOT NULL DEFAULT '[]',
            text TEXT NOT NULL,
            vector BLOB,
            model TEXT
        );
        CREATE INDEX chunks_meeting ON chunks(meeting_id);

        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, content='chunks', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;

        CREATE TABLE chunk_speakers (
            chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
            speaker TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (chunk_id, speaker)
        );
        CREATE INDEX chunk_speakers_speaker ON chunk_speakers(speaker);
        """,
    )
