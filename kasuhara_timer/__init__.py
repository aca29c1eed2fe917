"""kasuhara-timer: a desk-side timer and escalation assistant for customer-harassment contacts."""

import time as _time

__version__ = "0.1.0"

IMPORTED_AT = (_time.monotonic(), _time.time())
"""Monotonic and epoch seconds when the package was first imported, before any heavy import:
the latest the process's launch can be (the desk started from a shortcut starts its session
at the launch, `cli.launch_instant`)."""
