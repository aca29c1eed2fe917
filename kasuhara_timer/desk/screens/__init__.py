"""The desk app's screens: idle, session, wrap-up, and the quit confirmation."""
