"""The one interface every executor implements."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol, runtime_checkable

from ..records import Article, CodedArticle


@runtime_checkable
class Executor(Protocol):
    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[CodedArticle]]:
        """Code each batch; yield the results batch by batch, in input order.

        ``batches`` is consumed lazily (an executor reads ahead only a bounded number of batches),
        so a caller may decide the content of a batch when it is pulled.
        """
        ...

    def close(self) -> None:
        """Release workers or models; the executor is not used afterwards."""
        ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...
