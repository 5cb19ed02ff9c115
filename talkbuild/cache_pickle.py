"""How the build cache pickles a talk: fast to load, and its slides left unread until something reads them.

Frozen slotted dataclasses are pickled as `Class(*fields)` (their default goes through dataclasses'
__setstate__, several times slower when 199 cached talks are loaded), and a talk's slides are pickled
apart, inside its record, as a `LazySlides`.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from .errors import Diagnostic, SourceLocation
from .models import Reference, Slide, Talk, TalkMeta


def _fields_reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    assert all(f.init for f in dataclasses.fields(cls)), cls

    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple([getattr(obj, name) for name in names])

    return reduce


class LazySlides(Sequence[Slide]):
    """A cached talk's slides, unpickled the first time anything reads them.

    A build that takes a talk from the cache takes its pages too, and the default index shows front matter
    only: nothing reads the slides. Rebuilding ~40 `Slide`s per talk was two thirds of the time spent
    loading cached talks (a one-talk rebuild loads every other talk; a no-op build loads them all).
    `check`, or an index template that uses them, pays for them when it reads them, once. The bytes were
    written by this same code (the entry's key covers it) and passed the entry's CRC-32.
    """

    __slots__ = ("_count", "_raw", "_slides")

    def __init__(self, raw: bytes, count: int) -> None:
        self._raw: bytes | None = raw
        self._count = count
        self._slides: tuple[Slide, ...] | None = None

    @property
    def loaded(self) -> bool:
        return self._slides is not None

    def _loaded(self) -> tuple[Slide, ...]:
        slides = self._slides
        if slides is None:
            raw = self._raw
            if raw is None:  # another thread has just loaded them (_slides is set before _raw is dropped)
                assert self._slides is not None
                return self._slides
            slides = pickle.loads(raw)
            assert isinstance(slides, tuple)
            self._slides = slides
            self._raw = None
        return slides

    def pickled(self) -> tuple[bytes, int]:
        """The pickled slides and their number, as an entry stores them."""
        raw = self._raw
        return (raw if raw is not None else dumps(self._loaded())), self._count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Slide: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Slide, ...]: ...
    def __getitem__(self, index: int | slice) -> Slide | tuple[Slide, ...]:
        return self._loaded()[index]

    def __iter__(self) -> Iterator[Slide]:
        return iter(self._loaded())

    def __contains__(self, value: object) -> bool:
        return value in self._loaded()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazySlides):
            other = other._loaded()
        return self._loaded() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._loaded())

    def __repr__(self) -> str:
        return repr(self._loaded()) if self.loaded else f"<LazySlides: {self._count} slides, not loaded>"

    def __reduce__(self) -> tuple[type, tuple[tuple[Slide, ...]]]:
        return tuple, (self._loaded(),)  # pickled anywhere else (a worker, check's cache): a plain tuple


_TALK_FIELDS = tuple(f.name for f in dataclasses.fields(Talk))
_SLIDES_AT = _TALK_FIELDS.index("slides")


def _reduce_talk(talk: Talk) -> tuple[Callable[..., Talk], tuple[Any, ...]]:
    values: list[Any] = [getattr(talk, name) for name in _TALK_FIELDS]
    slides = values[_SLIDES_AT]
    values[_SLIDES_AT] = slides.pickled() if isinstance(slides, LazySlides) else (dumps(tuple(slides)), len(slides))
    return _cached_talk, tuple(values)


def _cached_talk(*values: Any) -> Talk:
    """A talk as an entry stores it, with its slides left pickled until they are read."""
    fields = list(values)
    raw, count = fields[_SLIDES_AT]
    fields[_SLIDES_AT] = LazySlides(raw, count)
    return Talk(*fields)


# Pickled as `Class(*fields)`: the default for frozen slotted dataclasses goes through
# dataclasses' __setstate__, which costs several times more when 199 cached talks are loaded.
_DISPATCH = copyreg.dispatch_table.copy()
for _cls in (TalkMeta, Slide, Reference, SourceLocation, Diagnostic):
    _DISPATCH[_cls] = _fields_reducer(_cls)
_DISPATCH[Talk] = _reduce_talk


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()
