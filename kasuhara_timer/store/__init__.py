"""The disk side of a session: journal (the truth), session folders, atomic writes, record.json.

Formats and guarantees: docs/storage.md.
"""
