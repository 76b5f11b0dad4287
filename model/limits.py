"""Limits of what the models read, importable without loading them (the CLI's start)."""

# A headline longer than this is no headline; the scorer refuses it.
MAX_HEADLINE_CHARS = 1000
