"""detente: event data from geopolitical news — who did what to whom, when, where, with the evidence."""

from .api import code, ingest, open, watch
from .records import Actor, Article, Event, Failure, Sentence
from .settings import Settings

__all__ = ["Actor", "Article", "Event", "Failure", "Sentence", "Settings", "code", "ingest", "open", "watch"]
__version__ = "0.1.0"
