"""The session catalogue, headless, below the apps.

The SQLite index of session folders, its queries, repeat callers, the recordings and playback.
"""
