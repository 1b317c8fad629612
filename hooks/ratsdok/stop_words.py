"""German words the search leaves out of a query (articles, pronouns, prepositions, conjunctions, auxiliaries).

They stand in nearly every Drucksache, so they narrow no search down, yet each has the largest entry of the
search index: Pagefind keeps every occurrence of a word in one index chunk, and the chunk of "der" alone is
several times the weight of everything else a first query loads. The search page drops them from a query (a
quoted phrase keeps them) and says so; they stay in the index, so phrases and excerpts are unchanged.
"""

from __future__ import annotations

STOP_WORDS = frozenset(
    """
    der die das den dem des ein eine einer einem einen eines
    und oder sowie aber als wie dass ob wenn weil da denn doch sondern sodass
    in im an am auf aus bei bis durch für gegen mit nach ohne seit über um unter von vom vor zu zum zur
    ist sind war waren sei wird werden wurde wurden worden hat haben hatte hatten kann können soll sollen
    es er sie ihr ihre ihren ihrem ihres ihrer sich wir uns man sein seine seinen seinem seiner dies diese
    dieser diesem diesen dieses
    auch noch nur nicht so schon sehr
    fur uber konnen
    """.split()  # the last line: as typed without umlauts; the index folds "für" to "fur" anyway
)


def is_stop_word(word: str) -> bool:
    return word.casefold() in STOP_WORDS
