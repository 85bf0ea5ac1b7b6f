"""jieba's route through a block, computed by jieba-rs (the `rjieba` binding) during an index build.

Routing (jieba's get_DAG + calc) is a third of a build in pure Python; jieba-rs computes the same route
with the same floating-point operations (log(frequency) - log(total) + the score after the word, ties
to the longer word) about six times faster, given the same table. Two differences are undone here:

- jieba-rs keeps its own total (the sum of its words' frequencies, a word added twice counted once),
  where jieba adds every line of its dictionary and every added word. A word of a character no block can
  hold (a private-use one) carries the difference, so both take the same log(total).
- its cut runs single Latin letters and digits together (as jieba's cut without HMM does), and the route
  is wanted. A run that is not a word of the table was single characters; a run that is a word (none of
  jieba's dictionary is, a knowledge-base keyword such as 5G may be) could be either, and such a block
  is left to the Python route (`route` returns None).

Without rjieba installed, or outside a build, the tokenizer routes in Python (bot/text/tokenize.py);
tests/text/test_routes.py checks that both give the same route for every block of the shipped knowledge
base and of a scaled-up one.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import re
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

_SPARE = "\ue000"  # never in a block: jieba's blocks hold CJK, Latin letters, digits and +#&._%-
_RUN = re.compile(r"[a-zA-Z0-9]{2}")  # where jieba-rs's cut may have run characters together


def available() -> bool:
    """Whether rjieba is installed (else jieba's own algorithm, in Python, does the same work)."""
    return _binding() is not None


_BINDING_LOCK = threading.Lock()


@functools.cache
def _binding() -> ModuleType | None:
    """rjieba's compiled module, loaded without its package's __init__, which builds a segmenter over
    jieba-rs's own dictionary (0.15-0.25 s and its memory, for nothing here). Registered under its usual
    name, so that an `import rjieba` elsewhere reuses it rather than initialising it again."""
    with _BINDING_LOCK:  # an extension module is initialised once
        name = "rjieba.rjieba"
        if name in sys.modules:
            return sys.modules[name]
        try:
            package = importlib.util.find_spec("rjieba")  # finds the package without running it
        except (ImportError, ValueError):
            return None
        if package is None or not package.submodule_search_locations:
            return None
        folder = Path(next(iter(package.submodule_search_locations)))
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"rjieba{suffix}"
            spec = importlib.util.spec_from_file_location(
                name, path, loader=importlib.machinery.ExtensionFileLoader(name, str(path))
            )
            if not path.is_file() or spec is None or spec.loader is None:
                continue
            try:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except ImportError:  # built for another platform or Python: jieba's algorithm will do
                return None
            sys.modules[name] = module
            return module
        return None


class FastRoutes:
    """jieba-rs over a tokenizer's table: words are added as the tokenizer loads them, and the total is
    kept at the tokenizer's. Safe to use from several threads."""

    def __init__(self, total: int, frequency: Callable[[str], int | None]) -> None:
        """`total`: jieba's total for the table; `frequency`: the table's lookup (to tell a word apart from
        a run of single characters)."""
        binding = _binding()
        if binding is None:
            raise ModuleNotFoundError("rjieba")
        self._jieba = binding.Jieba.empty()
        self._total = total
        self._frequency = frequency
        self._held = 0  # the sum of the frequencies jieba-rs holds, the spare word's aside
        self._lock = threading.Lock()

    def add(self, words: Iterable[tuple[str, int]]) -> None:
        """Words new to jieba-rs, each once, with the frequency the table has for it."""
        with self._lock:
            add = self._jieba.add_word
            for word, frequency in words:
                add(word, frequency, None)
                self._held += frequency
            spare = self._total - self._held
            if spare < 0:
                raise ValueError("the words added weigh more than the total")
            add(_SPARE, spare, None)  # jieba-rs replaces the spare's last frequency: its total is ours

    def route(self, block: str) -> tuple[str, ...] | None:
        """The words of jieba's route through the block (one of jieba's blocks, its characters' words
        added), or None if jieba-rs's cut cannot tell it."""
        found = self.route_and_cut(block)
        return None if found is None else found[0]

    def route_and_cut(self, block: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The block's route (`route`) and its cut without HMM, which is jieba-rs's cut as it is (the route
        with runs of single Latin letters and digits joined, as jieba's cut joins them); None if jieba-rs's
        cut cannot tell the route."""
        with self._lock:
            pieces = self._jieba.cut(block, False)
        cut = tuple(pieces)
        if _RUN.search(block) is None:
            return cut, cut
        joined = _SEPARATOR.join(pieces)  # the pieces of Latin letters and digits found in one pass
        runs = _LATIN_PIECE.findall(joined)
        if not runs:
            return cut, cut
        if any(map(self._frequency, runs)):
            return None  # a word of the table, or single characters run together
        # The route holds the cut's own strings (a build keeps both per block: new strings were 24 MB more
        # at 10,000 entries), each run spread into its characters.
        spread = set(runs)
        route: list[str] = []
        for piece in cut:
            if piece in spread:
                route += piece
            else:
                route.append(piece)
        return tuple(route), cut


_SEPARATOR = "\x00"  # in no block
_LATIN_PIECE = re.compile(r"(?<![^\x00])[a-zA-Z0-9]{2,}(?![^\x00])")  # a whole piece of them, two or more
