"""The review app: the supervisor's list, session, playback, export and report screens (Textual)."""
