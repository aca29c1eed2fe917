"""Recording the desk microphone: capture (recorder), devices, segments on disk, archive.

Import the submodules directly (`kasuhara_timer.audio.recorder`…); this package imports nothing
heavy so that `kasuhara-timer` starts fast and runs without PortAudio. See docs/audio.md.
"""
