"""Running sessions seen from outside the desk, through the shared data folder alone.

No server and no socket: each desk rewrites one small status file per running session
(`status`), a supervisor's board reads them (`board_rows`) and answers a call for help with
a file in the session folder (`store.answers`) that the desk reads and journals. One writer
per file.
"""
