"""Search benchmark: our index vs SQLite FTS5 on the same synthetic news clips.

    python benchmarks/search.py --n 20000 [--weighting bm25f] [--dir D [--reuse]] [--quick]

Generates news-like clips (Zipf word frequencies over a mixed real/synthetic vocabulary,
variable length around 700 words, fixed seed), builds our index (`SearchIndex.rebuild`)
and an FTS5 table of the same texts, then prints p50/p95 per query class (top 20 hits,
a snippet for each, exact total), indexing throughput, open and reconcile times, the time
for a new clip to become searchable, index sizes and resident memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import accumulate, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clipper.search.document import IndexDoc
from clipper.search.snippet import make_snippet
from clipper.search.whoosh.index import IndexOptions, SearchIndex


def words(text: str) -> list[str]:
    return text.split()


COMMON = words(
    """
    the of and to a in that is was he for it with as his on be at by i this had not are
    but from or have an they which one you were her all she there would their we him
    been has when who will more no if out so said what up its about into than them can
    only other new some could time these two may then do first any my now such like our
    over man me even most made after also did many before must through back years where
    much your way well down should because each just those people mr how too little
    state good very make world still own see men work long get here between both life
    being under never day same another know while last might us great old year off come
    since against go came right used take three
    """
)
NEWS = words(
    """
    government president military police election minister economy market climate court
    war company city country report health school percent week official officials
    security law house party campaign vote energy trade china europe russia ukraine
    water women children family business money billion million tax budget policy public
    national international leader leaders support plan change system service program
    group development research university study data technology internet social media
    power force forces army attack peace talks deal crisis prices oil gas bank interest
    rates growth jobs workers union strike protest rights justice judge trial prison
    crime violence border migrants refugees aid food farmers drought flood storm fire
    emissions carbon coal solar wind nuclear science space history culture art music
    film book museum sport football team season game players coach co-operation
    cooperation café décor naïve résumé militarily militant militia
    """
)
SYLLABLES = words(
    """
    ka lo mi ran tes vo pel dor lin sa tu gar ber no fi mon ti zu qua ren bal cor dey
    fen hal jor kin lur mas nel ori pra rus sel tan ulm vek wil yar zen
    """
)
TAGS = [f"topic{i}" for i in range(200)] + ["climate change", "ukraine war", "elections"]
SITES = [(f"Site {i} News", f"https://www.site{i}.example.com") for i in range(50)]


@dataclass
class Corpus:
    vocab: list[str]
    cum: list[float]
    rng: random.Random

    @classmethod
    def make(cls, seed: int, size: int = 60_000) -> Corpus:
        rng = random.Random(seed)
        seen = set(COMMON) | set(NEWS)
        synthetic: list[str] = []
        while len(synthetic) < size - len(seen):
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
            if word not in seen:
                seen.add(word)
                synthetic.append(word)
        news = NEWS[:]
        rng.shuffle(news)
        vocab = COMMON + news + synthetic
        weights = [1.0 / (rank + 2.7) for rank in range(len(vocab))]
        return cls(vocab, list(accumulate(weights)), rng)

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def sentence_text(self, k: int) -> str:
        words = self.words(k)
        out: list[str] = []
        i = 0
        while i < len(words):
            n = self.rng.randint(8, 24)
            chunk = words[i : i + n]
            chunk[0] = chunk[0].capitalize()
            out.append(" ".join(chunk) + ".")
            i += n
        return " ".join(out)


def make_docs(n: int, seed: int = 42) -> Iterator[IndexDoc]:
    corpus = Corpus.make(seed)
    rng = corpus.rng
    start = datetime(2015, 1, 1)
    for i in range(1, n + 1):
        length = max(150, int(rng.gauss(700, 250)))
        paragraphs = [corpus.sentence_text(length // 5) for _ in range(5)]
        title_words = [w for w in corpus.words(30) if w not in COMMON[:60]][:9]
        site, url = SITES[int(rng.paretovariate(1.2)) % len(SITES)]
        has_note = rng.random() < 0.1
        yield IndexDoc(
            id=i,
            revision=1,
            title=" ".join(title_words).capitalize(),
            subtitle=corpus.sentence_text(20),
            body="\n\n".join(paragraphs),
            captions=corpus.sentence_text(12) if rng.random() < 0.6 else "",
            notes=corpus.sentence_text(15) if has_note else "",
            tags=tuple({TAGS[int(rng.paretovariate(0.8)) % len(TAGS)] for _ in range(3)}),
            site=site,
            authors=(f"Author {rng.randint(1, 500)}",),
            url=f"{url}/{i}",
            published=start + timedelta(days=rng.randint(0, 4000)) if rng.random() < 0.9 else None,
            clipped=start + timedelta(days=rng.randint(3000, 4300)),
            has_note=has_note,
        )


def proc_status() -> dict[str, float]:
    """Memory lines of /proc/self/status in MB (VmRSS, VmHWM, RssAnon, RssFile)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    values = proc_status()
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def build_fts(path: Path, docs: list[IndexDoc]) -> float:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE clips USING fts5(title, body, captions, notes, tags, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute("CREATE TABLE meta(id INTEGER PRIMARY KEY, date INTEGER, site TEXT)")
    db.execute("CREATE TABLE tags(tag TEXT, id INTEGER)")
    t0 = time.perf_counter()
    with db:
        for d in docs:
            when = d.published or d.clipped
            db.execute(
                "INSERT INTO clips(rowid, title, body, captions, notes, tags) VALUES (?,?,?,?,?,?)",
                (
                    d.id,
                    d.title,
                    d.subtitle + "\n\n" + d.body,
                    d.captions,
                    d.notes,
                    " ; ".join(d.tags),
                ),
            )
            db.execute(
                "INSERT INTO meta VALUES (?,?,?)",
                (d.id, int(when.timestamp()) if when else None, d.site),
            )
            db.executemany("INSERT INTO tags VALUES (?,?)", [(t, d.id) for t in d.tags])
        db.execute("CREATE INDEX tags_tag ON tags(tag)")
        db.execute("CREATE INDEX meta_date ON meta(date)")
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


@dataclass
class QueryCase:
    klass: str
    ours: str
    fts: str  # SQL returning (rowid, snippet) rows; "?" is the FTS match string
    fts_arg: tuple[object, ...]
    prefix_last: bool = True


def make_queries(docs: list[IndexDoc], seed: int, per_class: int) -> list[QueryCase]:
    rng = random.Random(seed + 1)
    corpus = Corpus.make(seed)
    mid = corpus.vocab[400:5000]
    rare_news = [w for w in NEWS if "-" not in w and w.isascii()]
    top = "SELECT rowid, snippet(clips, 1, '[[', ']]', '…', 40) FROM clips WHERE clips MATCH ? "
    ranked = top + "ORDER BY rank LIMIT 20"
    cases: list[QueryCase] = []
    for _ in range(per_class):
        # "As typed" classes: our last word is also a prefix, and so is FTS5's ("w*"):
        # both engines answer the same question. The exact classes compare exact words.
        w = rng.choice(mid)
        cases.append(QueryCase("single word", w, ranked, (f"{w}*",)))
        cases.append(QueryCase("single word, exact", w, ranked, (w,), prefix_last=False))
        c = rng.choice(COMMON[40:120])
        cases.append(QueryCase("common word", c, ranked, (c,), prefix_last=False))
        ws = [rng.choice(mid + rare_news) for _ in range(rng.choice((2, 3)))]
        cases.append(QueryCase("AND 2-3 words", " ".join(ws), ranked, (" ".join(ws) + "*",)))
        cases.append(
            QueryCase(
                "AND 2-3 words, exact", " ".join(ws), ranked, (" ".join(ws),), prefix_last=False
            )
        )
        a, b = rng.choice(COMMON[40:80]), rng.choice(COMMON[40:80])
        cases.append(
            QueryCase("AND 2 common words", f"{a} {b}", ranked, (f"{a} {b}",), prefix_last=False)
        )
        doc = rng.choice(docs)
        body = doc.body.split()
        i = rng.randrange(0, max(1, len(body) - 4))
        phrase = " ".join(w.strip(".,").lower() for w in body[i : i + rng.choice((2, 3))])
        cases.append(QueryCase("phrase", f'"{phrase}"', ranked, (f'"{phrase}"',)))
        p = rng.choice(mid + rare_news)
        typed = p[: rng.randint(3, max(3, min(len(p), 7)))]
        cases.append(QueryCase("prefix as typed", typed, ranked, (f"{typed}*",)))
        tag = rng.choice(TAGS[:30])
        tag_sql = (
            "SELECT id, '' FROM tags JOIN meta USING(id) WHERE tag = ? ORDER BY date DESC LIMIT 20"
        )
        cases.append(QueryCase("tag filter only", f'tag:"{tag}"', tag_sql, (tag,)))
        w2 = rng.choice(mid)
        tag_word_sql = top.replace(
            "WHERE", "WHERE rowid IN (SELECT id FROM tags WHERE tag = ?) AND"
        )
        cases.append(
            QueryCase(
                "word + tag filter",
                f'{w2} tag:"{tag}"',
                tag_word_sql + "ORDER BY rank LIMIT 20",
                (tag, w2),
            )
        )
        year = rng.randint(2016, 2025)
        t0 = int(datetime(year, 1, 1).timestamp())
        t1 = int(datetime(year + 1, 1, 1).timestamp())
        date_sql = top.replace(
            "WHERE", "WHERE rowid IN (SELECT id FROM meta WHERE date >= ? AND date < ?) AND"
        )
        cases.append(
            QueryCase(
                "word + date range",
                f"{w2} after:{year} before:{year + 1}",
                date_sql + "ORDER BY rank LIMIT 20",
                (t0, t1, w2),
            )
        )
        o1, o2 = rng.choice(mid), rng.choice(mid)
        cases.append(QueryCase("OR", f"{o1} OR {o2}", ranked, (f"{o1} OR {o2}*",)))
        e1, e2 = rng.choice(mid), rng.choice(COMMON[60:120])
        cases.append(QueryCase("exclusion", f"{e1} -{e2}", ranked, (f"{e1} NOT {e2}",)))
    return cases


def time_it(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def build(ixdir: Path, work: Path, docs: list[IndexDoc], options: IndexOptions) -> None:
    """Our index through `SearchIndex.rebuild`, then FTS5 over the same clips."""
    index = SearchIndex(ixdir, options)
    t0 = time.perf_counter()
    index.rebuild(iter(docs), total=len(docs))
    build_s = time.perf_counter() - t0
    print(
        f"ours rebuild: {build_s:.1f} s = {len(docs) / build_s:.0f} clips/s, "
        f"{folder_mb(ixdir):.0f} MB on disk, {index.segment_count()} segments, "
        f"peak RSS {rss_mb()[1]:.0f} MB"
    )
    index.close()
    fts_s = build_fts(work / "fts.sqlite", docs)
    print(
        f"fts5 build: {fts_s:.1f} s = {len(docs) / fts_s:.0f} clips/s, "
        f"{(work / 'fts.sqlite').stat().st_size / 1e6:.0f} MB on disk"
    )


SCENARIOS = {
    # name: (about: words, mentions; passing: words, mentions)
    "same lengths": ((700, (3, 6)), (700, (1, 1))),
    "long about, short passing": ((1500, (4, 5)), (150, (2, 2))),
    "short about, long passing": ((200, (3, 3)), (1500, (5, 6))),
}


def _planted(
    seed: int, about_shape: tuple[int, tuple[int, int]], passing_shape: tuple[int, tuple[int, int]]
) -> tuple[list[IndexDoc], dict[str, set[int]]]:
    """4,000 clips; for 30 invented topics, 8 clips about it (in the title too) and 40
    that mention it in passing, with the lengths and mention counts given."""
    rng = random.Random(seed + 3)
    docs = list(make_docs(4000, seed))
    filler = " ".join(d.body for d in docs[:40]).split()
    about: dict[str, set[int]] = {}
    chosen = rng.sample(range(len(docs)), 30 * 48)
    for t in range(30):
        topic = f"zqtopic{t}"
        about[topic] = set()
        for k, idx in enumerate(chosen[t * 48 : (t + 1) * 48]):
            doc = docs[idx]
            length, (lo, hi) = about_shape if k < 8 else passing_shape
            start = rng.randrange(len(filler) - length)
            words = filler[start : start + length]
            for _ in range(rng.randint(lo, hi)):
                words[rng.randrange(len(words))] = topic
            title = f"{topic} {doc.title}" if k < 8 else doc.title
            docs[idx] = replace(doc, title=title, body=" ".join(words))
            if k < 8:
                about[topic].add(doc.id)
    return docs, about


def quality(seed: int, work: Path) -> None:
    """Ranking check: do clips *about* a word outrank clips that mention it in passing?

    Precision at 8 of each scoring model per scenario, FTS5's bm25 as a reference.
    """
    for name, (about_shape, passing_shape) in SCENARIOS.items():
        docs, about = _planted(seed, about_shape, passing_shape)
        shutil.rmtree(work / "quality", ignore_errors=True)
        with SearchIndex(work / "quality") as index:
            index.rebuild(docs)
        fts_path = work / "quality.sqlite"
        fts_path.unlink(missing_ok=True)
        build_fts(fts_path, docs)
        scores: list[str] = []
        for weighting in ("tfidf", "bm25f"):
            with SearchIndex(work / "quality", IndexOptions(weighting=weighting)) as index:
                found = [
                    len({h.id for h in index.search(t, limit=8, prefix_last=False).hits} & ids)
                    for t, ids in about.items()
                ]
            scores.append(f"{weighting} {sum(found) / (8 * len(found)):.3f}")
        db = sqlite3.connect(fts_path)
        sql = "SELECT rowid FROM clips WHERE clips MATCH ? ORDER BY rank LIMIT 8"
        found = [len({r for (r,) in db.execute(sql, (t,))} & ids) for t, ids in about.items()]
        db.close()
        scores.append(f"fts5 bm25 {sum(found) / (8 * len(found)):.3f}")
        print(f"P@8, {name}: " + ", ".join(scores), flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--weighting", choices=("tfidf", "bm25f"), default="tfidf")
    parser.add_argument(
        "--segment-words",
        type=int,
        default=IndexOptions().rebuild_words,
        help="rebuild segment size",
    )
    parser.add_argument("--dir", type=Path, default=None, help="work folder (kept)")
    parser.add_argument(
        "--reuse", action="store_true", help="query the index and FTS5 table in --dir"
    )
    parser.add_argument("--quality", action="store_true", help="ranking check only")
    parser.add_argument(
        "--ours-only",
        action="store_true",
        help="with --reuse: run only our queries (memory of a process that searches)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="10,000 clips, 10 queries a class (a minute or two)"
    )
    args = parser.parse_args()
    if args.quick:
        args.n, args.per_class = 10_000, 10
    return args


def main() -> None:
    args = parse_args()
    # No result cache: a query drawn twice must not be measured as a cache hit.
    options = IndexOptions(
        weighting=args.weighting, rebuild_words=args.segment_words, result_cache=0
    )
    work = args.dir or Path(tempfile.mkdtemp(prefix="clipper-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.quality:
        quality(args.seed, work)
        return
    ixdir = work / "index"
    reuse = args.reuse and ixdir.exists() and (work / "fts.sqlite").exists()
    if not reuse:
        shutil.rmtree(ixdir, ignore_errors=True)
        (work / "fts.sqlite").unlink(missing_ok=True)
    print(
        f"# {args.n} clips, {options}, python {platform.python_version()}, "
        f"nproc {os.cpu_count()}, {datetime.now():%Y-%m-%d}"
    )
    t0 = time.perf_counter()
    docs = list(islice(make_docs(args.n, args.seed), 2000 if reuse else None))
    words = sum(len(d.body.split()) for d in docs) / len(docs)
    print(f"generated in {time.perf_counter() - t0:.1f} s, {words:.0f} body words/clip")
    if not reuse:
        build(ixdir, work, docs, options)
    del docs[2000:]  # keep a sample for phrase queries; snippets read the database
    rss_before_open = rss_mb()[0]
    t0 = time.perf_counter()
    index = SearchIndex(ixdir, options)
    t_open = (time.perf_counter() - t0) * 1000
    revs: dict[int, int] = {}
    t_rev = time_it(lambda: revs.update(index.revisions()))
    t_rev2 = time_it(index.revisions)
    print(
        f"open {t_open:.0f} ms; revisions() first {t_rev:.0f} ms ({len(revs)} ids), "
        f"again {t_rev2:.0f} ms"
    )

    cases = make_queries(docs, args.seed, args.per_class)
    db = sqlite3.connect(work / "fts.sqlite")
    ours: dict[str, list[float]] = {}
    fts: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}

    def run_ours(case: QueryCase) -> None:
        res = index.search(case.ours, limit=20, prefix_last=case.prefix_last)
        ids = [hit.id for hit in res.hits]
        marks = ",".join("?" * len(ids))
        rows = db.execute(
            f"SELECT title || char(10) || body FROM clips WHERE rowid IN ({marks})", ids
        )
        for (text,) in rows:
            make_snippet(text, res.terms)
        totals.setdefault(case.klass, []).append(res.total)

    def run_fts(case: QueryCase) -> None:
        db.execute(case.fts, case.fts_arg).fetchall()

    # Warm-up on other queries (page cache, code paths), so that no measured query
    # is answered from our per-query caches.
    for case in make_queries(docs, args.seed + 7, 2):
        run_ours(case)
        run_fts(case)
    totals.clear()
    for case in cases:
        ms = time_it(lambda c=case: run_ours(c))
        if ms > 1000:
            print(f"  slow: {case.ours!r} {ms:.0f} ms", file=sys.stderr, flush=True)
        ours.setdefault(case.klass, []).append(ms)
        if args.ours_only:
            fts.setdefault(case.klass, []).append(0.0)
        else:
            fts.setdefault(case.klass, []).append(time_it(lambda c=case: run_fts(c)))
    rss_after, hwm = rss_mb()
    status = proc_status()

    print(
        f"\n{'query class':<22} {'ours p50':>9} {'p95':>7} {'fts5 p50':>9} {'p95':>7}"
        f" {'avg hits':>9}"
    )
    for klass in ours:
        o, f = ours[klass], fts[klass]
        print(
            f"{klass:<22} {pct(o, 0.5):>9.1f} {pct(o, 0.95):>7.1f} {pct(f, 0.5):>9.1f} "
            f"{pct(f, 0.95):>7.1f} {statistics.mean(totals[klass]):>9.0f}"
        )

    latencies = []
    for k in range(10):
        word = f"zzfresh{k}"
        doc = IndexDoc(id=10_000_000 + k, revision=1, title=f"fresh clip {word}", body=word)

        def add_and_find(d: IndexDoc = doc, w: str = word) -> None:
            index.upsert([d])
            assert index.search(w, prefix_last=False).total == 1

        latencies.append(time_it(add_and_find))
    print(
        f"\nnew clip searchable: p50 {pct(latencies, 0.5):.0f} ms, "
        f"p95 {pct(latencies, 0.95):.0f} ms"
    )
    print(
        f"RSS: {rss_before_open:.0f} MB before open (2,000 sample clips in memory), "
        f"{rss_after:.0f} MB after queries (anonymous {status.get('RssAnon', 0):.0f}, "
        f"mapped files {status.get('RssFile', 0):.0f}), peak {hwm:.0f} MB"
    )
    index.close()
    db.close()
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
