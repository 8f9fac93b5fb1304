"""``make bench``: articles/s and words/s of ``detente ingest`` against the spaCy pipeline alone.

A benchmark, not a test: it builds a corpus, then measures in one run, on the same texts,

1. the full spaCy pipeline alone (``nlp.pipe`` over the article texts, model already loaded);
2. ``detente.api.ingest`` end to end into a fresh DuckDB file with 1 worker (pipeline already
   built) and with 2 workers (the pool start-up, with its model loads, included);
3. the coder's own time (excluding spaCy) as a fraction of spaCy's time on the example articles;
4. whether the fast path gives the full parse's events and sentences on the first articles;

and prints articles/s, words/s, the ratio ours/spaCy and peak RSS. ``--articles 100000`` (or
``--streaming``) measures only the 2-worker ingest, streaming a corpus written line by line, and
checks that peak RSS stays under 2 GB.

Corpus recipe (fixed seed, so every run codes the same texts): the sentences of the example
articles (``examples/``) and of the texts in ``../shared/data/gold/*.jsonl`` are split on sentence-
final punctuation, de-duplicated and drawn at random (``random.Random(seed)``) into paragraphs of 1 to
3 sentences until an article has ~600 words (a target drawn from 570-630); each article gets a date
drawn from 2023-01-01 .. 2024-12-31 and an id ``bench-N``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from detente import api  # noqa: E402
from detente.ingest import read_paths  # noqa: E402
from detente.nlp import blocks, load_model  # noqa: E402
from detente.records import Article, Sentence  # noqa: E402
from detente.settings import Settings  # noqa: E402

SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z\"“‘(])")


def sentence_pool(examples: Path, gold: Path) -> list[str]:
    texts: list[str] = []
    for path in sorted(examples.glob("*.txt")):
        for a in read_paths([path], 1_000_000):
            if isinstance(a, Article):
                texts += [b.text for b in blocks(a.text) if not b.heading]
    for path in sorted(glob.glob(str(gold / "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    seen: dict[str, None] = {}
    for t in texts:
        for s in SPLIT.split(" ".join(t.split())):
            if len(s.split()) >= 4 and s[-1:] in ".!?\"”’":
                seen.setdefault(s, None)
    return list(seen)


def corpus(pool: list[str], n: int, seed: int = 7) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    for i in range(n):
        target, words, paras = rng.randint(570, 630), 0, []
        while words < target:
            para = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
            words += sum(len(s.split()) for s in para)
            paras.append(" ".join(para))
        date = start + dt.timedelta(days=rng.randrange(731))
        yield {"id": f"bench-{i}", "date": date.isoformat(), "text": "\n\n".join(paras)}


def write_corpus(pool: list[str], n: int, path: Path) -> tuple[int, int]:
    """Write n articles as JSONL, line by line; returns (articles, words)."""
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for doc in corpus(pool, n):
            words += len(doc["text"].split())
            f.write(json.dumps(doc) + "\n")
    return n, words


def rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its largest (waited-for) child, in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


class RssSampler(threading.Thread):
    """Samples the resident set of this process and its descendants (``/proc``, Linux) every ``every``
    seconds. ``ru_maxrss`` of children is no use here: a spawned worker is forked before it execs, so
    its peak counts the parent's pages at that moment."""

    def __init__(self, every: float = 0.5):
        super().__init__(daemon=True)
        self.every, self.done = every, threading.Event()
        self.main_mb = self.worker_mb = self.total_mb = 0.0

    @staticmethod
    def _rss_mb(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as f:
                return next((int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:")), 0.0)
        except OSError:
            return 0.0

    @staticmethod
    def _children(pid: int) -> list[int]:
        try:
            with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
                kids = [int(c) for c in f.read().split()]
        except OSError:
            return []
        return kids + [g for k in kids for g in RssSampler._children(k)]

    def run(self) -> None:
        me = os.getpid()
        while not self.done.wait(self.every):
            main, kids = self._rss_mb(me), [self._rss_mb(k) for k in self._children(me)]
            self.main_mb, self.total_mb = max(self.main_mb, main), max(self.total_mb, main + sum(kids))
            self.worker_mb = max([self.worker_mb, *kids])

    def __enter__(self) -> RssSampler:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()


def ingest(path: Path, db: Path, workers: int) -> tuple[float, api.IngestSummary]:
    for stale in (db, Path(str(db) + ".wal")):
        stale.unlink(missing_ok=True)  # a store left by an earlier run would skip every article
    settings = Settings.load(db=db, workers=workers)
    if workers == 1:
        api.pipeline(settings)  # built before the clock starts, as the spaCy baseline's model is
    t0 = time.perf_counter()
    summary = api.ingest([path], db=db, settings=settings)
    return time.perf_counter() - t0, summary


def sampled_ingest(path: Path, db: Path, workers: int) -> tuple[float, api.IngestSummary, RssSampler]:
    with RssSampler() as rss:
        secs, summary = ingest(path, db, workers)
    return secs, summary, rss


def spacy_alone(texts: list[str], model: str) -> float:
    nlp = load_model(model)
    list(nlp.pipe(texts[:8]))  # warm up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - t0


def coder_fraction(examples: Path, reps: int) -> dict[str, float]:
    """Coder time (actors, rules, dates, places; no spaCy) / spaCy time, on the example articles."""
    pipe = api.pipeline(Settings(fast_path=False))
    arts = [a for a in read_paths(sorted(examples.glob("*.txt")), 1_000_000) if isinstance(a, Article)]
    work = [(a, b) for a in arts for b in blocks(a.text) if not b.heading]
    spacy_t, coder_t = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        docs = list(pipe.nlp.pipe([b.text for _, b in work]))
        spacy_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        memory: dict[str, list] = {a.id: [] for a in arts}  # type: ignore[type-arg]
        counts: dict[str, int] = {a.id: 0 for a in arts}
        for (a, b), doc in zip(work, docs, strict=True):
            for sent in doc.sents:
                rec = Sentence(a.id, counts[a.id], sent.text.strip(), b.start + sent.start_char,
                               b.start + sent.end_char)
                counts[a.id] += 1
                pipe.coder.code_sentence(a, rec, sent, memory[a.id])
        coder_t.append(time.perf_counter() - t0)
    return {"spacy_s": statistics.median(spacy_t), "coder_s": statistics.median(coder_t),
            "first_coder_s": coder_t[0],
            "fraction": statistics.median(coder_t) / statistics.median(spacy_t)}


def fast_path_agreement(path: Path, n: int) -> dict[str, int]:
    arts = [a for a in read_paths([path], 1_000_000) if isinstance(a, Article)][:n]
    fast = api.pipeline(Settings(fast_path=True))(arts)
    full = api.pipeline(Settings(fast_path=False))(arts)
    return {"articles": len(arts),
            "same_events": sum(a.events == b.events for a, b in zip(fast, full, strict=True)),
            "same_sentences": sum(a.sentences == b.sentences for a, b in zip(fast, full, strict=True)),
            "events": sum(len(a.events) for a in full)}


def vars_of(rss: RssSampler) -> dict[str, float]:
    return {"every_s": rss.every, "main_mb": rss.main_mb, "worker_mb": rss.worker_mb, "total_mb": rss.total_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--streaming", action="store_true", help="only the 2-worker ingest (default above 20,000)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=None, help="where the corpus and stores go (default: a temp dir)")
    ap.add_argument("--examples", type=Path, default=REPO / "examples")
    ap.add_argument("--gold", type=Path, default=REPO.parent / "shared" / "data" / "gold")
    ap.add_argument("--check", type=int, default=200, help="articles for the fast-path agreement check")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="detente-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    pool = sentence_pool(args.examples, args.gold)
    path = work / "corpus.jsonl"
    n, words = write_corpus(pool, args.articles, path)
    out: dict[str, object] = {"articles": n, "words": words, "sentence_pool": len(pool),
                              "machine_cpus": os.cpu_count()}
    print(f"corpus: {n} articles, {words} words ({words / n:.0f}/article) from {len(pool)} sentences → {path}")
    streaming = args.streaming or n > 20_000
    if streaming:
        secs, s, rss = sampled_ingest(path, work / f"stream-{args.workers}.duckdb", args.workers)
        main_mb, child_mb = rss_mb()
        total = main_mb + args.workers * child_mb  # sum of peaks: an upper bound on the peak of the sum
        out.update({"workers": args.workers, "seconds": secs, "articles_per_s": n / secs, "words_per_s": words / secs,
                    "events": s.events, "peak_rss_main_mb": main_mb, "peak_rss_worker_mb": child_mb,
                    "peak_rss_total_mb": total, "sampled_rss": vars_of(rss), "rss_ok": total <= 2048})
        print(f"ingest, {args.workers} workers: {n / secs:.1f} articles/s, {words / secs:.0f} words/s, "
              f"{s.events} events, {secs:.0f} s")
        print(f"peak RSS (ru_maxrss): main {main_mb:.0f} MB + {args.workers} × worker {child_mb:.0f} MB = "
              f"{total:.0f} MB ({'≤' if total <= 2048 else '>'} 2 GB)")
        print(f"peak RSS (sampled every {rss.every} s): all processes together {rss.total_mb:.0f} MB, "
              f"main {rss.main_mb:.0f} MB, largest worker {rss.worker_mb:.0f} MB")
    else:
        texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
        t_spacy = spacy_alone(texts, Settings.load().model)
        del texts
        t1, s1 = ingest(path, work / "w1.duckdb", 1)
        rss1 = rss_mb()[0]
        t2, s2, rss = sampled_ingest(path, work / f"w{args.workers}.duckdb", args.workers)
        main_mb = rss_mb()[0]
        frac = coder_fraction(args.examples, reps=5)
        agree = fast_path_agreement(path, args.check)
        out.update({
            "spacy_alone_s": t_spacy, "spacy_articles_per_s": n / t_spacy, "spacy_words_per_s": words / t_spacy,
            "w1_s": t1, "w1_articles_per_s": n / t1, "w1_words_per_s": words / t1, "w1_events": s1.events,
            f"w{args.workers}_s": t2, f"w{args.workers}_articles_per_s": n / t2,
            f"w{args.workers}_words_per_s": words / t2, f"w{args.workers}_events": s2.events,
            "ratio_w1_to_spacy": t1 / t_spacy, f"ratio_w{args.workers}_to_spacy": t2 / t_spacy,
            "peak_rss_main_mb": main_mb, "peak_rss_main_after_w1_mb": rss1,
            f"sampled_rss_w{args.workers}": vars_of(rss),
            "coder_fraction_examples": frac, "fast_path_check": agree,
        })
        print(f"spaCy alone (nlp.pipe, full pipeline, 1 process): {n / t_spacy:.1f} articles/s, "
              f"{words / t_spacy:.0f} words/s ({t_spacy:.0f} s)")
        print(f"detente ingest, 1 worker:  {n / t1:.1f} articles/s, {words / t1:.0f} words/s ({t1:.0f} s), "
              f"{s1.events} events · ratio to spaCy {t1 / t_spacy:.2f}")
        print(f"detente ingest, {args.workers} workers: {n / t2:.1f} articles/s, {words / t2:.0f} words/s "
              f"({t2:.0f} s), {s2.events} events · ratio to spaCy {t2 / t_spacy:.2f}")
        print(f"peak RSS: main process {main_mb:.0f} MB (ru_maxrss, whole run); {args.workers}-worker ingest "
              f"sampled every {rss.every} s: largest worker {rss.worker_mb:.0f} MB, all processes together "
              f"{rss.total_mb:.0f} MB")
        print(f"coder time / spaCy time on the examples: {frac['fraction']:.2f} "
              f"(coder {frac['coder_s'] * 1000:.0f} ms, first pass {frac['first_coder_s'] * 1000:.0f} ms; "
              f"spaCy {frac['spacy_s'] * 1000:.0f} ms)")
        print(f"fast path vs full parse on the first {agree['articles']} articles: events identical in "
              f"{agree['same_events']}, sentences identical in {agree['same_sentences']} "
              f"({agree['events']} events)")
        if s1.events != s2.events:
            print(f"WARNING: 1 and {args.workers} workers stored different event counts")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
