"""The board's screens: the list of running sessions, and one session's timeline."""
