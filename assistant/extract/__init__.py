"""Extraction of decisions, action items and parking-lot snags from a meeting's turns."""
