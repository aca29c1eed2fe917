"""What differs between Windows and POSIX, one small module per concern.

Only these modules may call what one platform lacks (`os.pread`, `fcntl`, `msvcrt`, signals,
Windows process flags); `tests/system/test_portability.py` checks that nothing else does, and
`mypy --platform win32` checks both branches type-check.

* `files`: binary-mode flags, positional reads, fsync of an existing file.
* `locks`: exclusive locks that leave readers alone (Windows locks are mandatory).
* `processes`: child processes that never read the keyboard or open a console window.
* `console`: output that survives a legacy code page (cp932).
* `signals`: being asked to end (SIGTERM, SIGHUP, SIGINT; the Windows console's close event).
"""
