"""Review tests run on the fixture corpus: made once, copied per test."""

from tests.support.corpus import corpus_master, data_dir, index, long_data_dir

__all__ = ["corpus_master", "data_dir", "index", "long_data_dir"]
