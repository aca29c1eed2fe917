"""kasuhara-timer: a desk-side timer and escalation assistant for customer-harassment contacts."""

__version__ = "0.1.0"
