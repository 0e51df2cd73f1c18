"""Danish morphology for lexicon matching: Snowball stems, cached.

``stem("diagnosen") == stem("diagnose")``; compound heads are matched by suffix on the stem
(``*diagnose`` matches "autismediagnosen"), see :class:`omtanke.packs.terms.TermSet`.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

__all__ = ["stem"]

_stemmer = snowballstemmer.stemmer("danish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Danish stem of a lower-cased word."""
    return str(_stemmer.stemWord(word))
