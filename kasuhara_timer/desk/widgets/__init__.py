"""Display-only widgets of the desk app: each paints a view record and posts messages."""
