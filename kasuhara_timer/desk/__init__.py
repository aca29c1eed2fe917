"""The desk app: the staff member's timer, step card, lines to say and record sheet (Textual)."""
