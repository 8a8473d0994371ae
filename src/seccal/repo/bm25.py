"""Okapi BM25 over code snippets, written out (it is small).

Code is tokenised into identifier parts: ``readFileSync`` and
``read_file_sync`` both give ``read``, ``file``, ``sync``, so a query in one
naming style finds helpers written in another.

References
----------
Robertson, S. and Zaragoza, H. (2009). The Probabilistic Relevance Framework:
BM25 and Beyond. Foundations and Trends in Information Retrieval 3(4).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*|[0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def tokenize(text: str) -> list[str]:
    """Lower-cased identifier parts of ``text`` (camelCase and snake_case split).

    >>> tokenize("resolveInside(root, URLPath) safe_join")
    ['resolve', 'inside', 'root', 'url', 'path', 'safe', 'join']
    """
    out: list[str] = []
    for word in _WORD.findall(text):
        out.extend(part.lower() for part in _CAMEL.findall(word))
    return out


class BM25:
    """A BM25 index over pre-tokenised documents.

    Parameters
    ----------
    docs:
        Token lists, one per document.
    k1, b:
        The usual saturation and length-normalisation parameters.
    """

    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("need k1 >= 0 and 0 <= b <= 1")
        self.k1 = k1
        self.b = b
        self.tfs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        n = len(docs)
        self.avg_len = (sum(self.lengths) / n) if n else 0.0
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        # The "+1" variant keeps idf positive for terms in most documents.
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        """BM25 score of every document for ``query`` (repeated terms count once)."""
        terms = set(query)
        out = []
        for tf, length in zip(self.tfs, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / self.avg_len) if self.avg_len else 0.0
            s = 0.0
            for t in terms:
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out
