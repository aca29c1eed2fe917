"""Nothing lost, nobody in: crash recovery, verification, retention and the access log.

Guarantees and their limits: docs/guarantees.md. This package reads and writes the store
(`kasuhara_timer.store`) and the sheets; the domain never imports it.
"""
