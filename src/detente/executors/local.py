"""In-process executor: the default, and the reference the others must match."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from ..pipeline import Pipeline
from ..records import Article, CodedArticle
from ..settings import Settings


class LocalExecutor:
    """Codes batches one after another in this process with one :class:`Pipeline`.

    ``factory`` builds the pipeline on first use (``detente.api.pipeline`` passes its per-process
    cache so repeated calls do not reload the model).
    """

    def __init__(self, settings: Settings, factory: Callable[[Settings], Pipeline] = Pipeline):
        self.settings = settings
        self.factory = factory
        self._pipeline: Pipeline | None = None

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[CodedArticle]]:
        for batch in batches:
            if not batch:
                yield []
                continue
            if self._pipeline is None:
                self._pipeline = self.factory(self.settings)
            yield self._pipeline(list(batch))

    def close(self) -> None:
        self._pipeline = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
