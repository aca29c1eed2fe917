"""Helpers the tests import by name: set-ups, fakes for logic tests, corpora, real-sound paths."""
