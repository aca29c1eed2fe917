"""The review app's widgets."""
