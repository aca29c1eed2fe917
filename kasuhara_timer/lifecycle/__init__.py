"""A session's life on disk beyond the domain.

The folder store, the end-of-session path (archive, record, seal) and the tidy-up at start-up.
"""
