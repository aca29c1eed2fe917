"""Report tests share the review's fixtures: the corpus, a private copy, isolated folders."""

from tests.review.conftest import corpus_master, data_dir, index, isolated, nanyo

__all__ = ["corpus_master", "data_dir", "index", "isolated", "nanyo"]
