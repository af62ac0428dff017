"""Tests of the character n-gram TF-IDF vectorizer."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.emotion import CharNgramVectorizer

TEXTS = ["赎回太慢了", "谢谢你的帮助", "基金跌了好担心", "帮我查净值", "太慢了太慢了"]


def test_vectorizer_matches_scikit_learn() -> None:
    ours = CharNgramVectorizer((1, 3)).fit(TEXTS)
    reference = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit(TEXTS)
    assert ours.vocabulary == reference.vocabulary_
    np.testing.assert_allclose(
        ours.transform(TEXTS).toarray(), reference.transform(TEXTS).toarray(), atol=1e-12
    )


def test_vectorizer_row_matches_transform() -> None:
    vectorizer = CharNgramVectorizer().fit(TEXTS)
    indices, values = vectorizer.row("赎回好慢")
    dense = np.zeros(vectorizer.size)
    dense[indices] = values
    np.testing.assert_allclose(dense, vectorizer.transform(["赎回好慢"]).toarray()[0])


def test_vectorizer_unknown_text_gives_empty_row() -> None:
    vectorizer = CharNgramVectorizer().fit(TEXTS)
    indices, _ = vectorizer.row("xyz")
    assert indices.size == 0
    assert vectorizer.transform(["xyz"]).nnz == 0


def test_vectorizer_dict_round_trip() -> None:
    vectorizer = CharNgramVectorizer((1, 2), max_features=20).fit(TEXTS)
    copy = CharNgramVectorizer.from_dict(vectorizer.to_dict(), vectorizer.idf)
    assert copy.size == vectorizer.size == 20
    assert (copy.transform(TEXTS) != vectorizer.transform(TEXTS)).nnz == 0
