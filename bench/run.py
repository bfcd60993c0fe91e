"""pushlint's benchmark suite: every figure of bench/README.md from one command.

    pip install -e '.[bench]'
    python bench/run.py                       # about 10 minutes on 2 cores
    python bench/run.py --quick               # smaller sizes, a first look in ~2 minutes

On a generated corpus of realistic sales emails (bench/corpus.py) at two sizes it prints:
pushlint words/s next to bare `nlp.pipe` over the same pipeline and components (and
over every component, `ner` included) and proselint over the same files; the share of
words selective parsing could skip; one draft from process start to exit next to
`python -c "import spacy; spacy.load(MODEL)(TEXT)"` (a new draft each time, rule files
parsed before); a cold and a cached re-run of a
folder; --jobs 1 against --jobs 2; and peak memory at two folder sizes. Timings are
medians of alternating runs. Nothing here is asserted: tests check correctness,
this measures speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

DRAFT = "Sign by Friday so we can close this deal before the quarter ends."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000", help="emails per corpus, two sizes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder-files", type=int, default=1500, help="files for cache/jobs")
    parser.add_argument("--rss-files", default="1000,20000", help="folder sizes for memory")
    parser.add_argument("--quick", action="store_true", help="sizes 200,600; folders 1000")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.folder_files, args.rss_files, args.repeats = "200,600", 1000, "300,1000", 2
    sizes = [int(s) for s in args.sizes.split(",")]
    rss_sizes = [int(s) for s in args.rss_files.split(",")]

    import pushlint
    from pushlint.nlp import describe

    _byte_compile(Path(pushlint.__file__).parent)
    info = describe(None)
    cores, python = os.cpu_count(), platform.python_version()
    print(f"machine   {platform.machine()}, {cores} cores, Python {python}")
    print(f"model     {info.name} {info.version}; spaCy {_version('spacy')}; "
          f"proselint {_version('proselint')}")  # fmt: skip
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="pushlint-bench-") as tmp:
        root = Path(tmp)
        for size in sizes:
            rows += throughput(size, root / f"corpus-{size}", args.repeats, pushlint)
        rows += selective_share(pushlint)
        rows += single_draft(root, args.repeats + 2, info.name)
        folder = _write(root / "folder", generate(args.folder_files, seed=5))
        rows += cache_rerun(folder, root, args.repeats)
        rows += jobs(folder, root, args.repeats)
        rows += memory(root, rss_sizes)
    print("\n| measure | figure |\n| --- | ---: |")
    for name, figure in rows:
        print(f"| {name} | {figure} |")


def throughput(size: int, folder: Path, repeats: int, pushlint: object) -> list[tuple[str, str]]:
    """Words per second over the same emails: pushlint (reading files, pipeline, rules,
    reports) against bare nlp.pipe and proselint."""
    import spacy

    from pushlint.api import get_linter, lint_paths
    from pushlint.nlp import numpy_blas, one_blas_thread

    texts = generate(size, seed=7)
    words = sum(len(t.split()) for t in texts)
    files = sorted(_write(folder, texts).iterdir())
    linter = get_linter()
    ours = [n for n in linter.nlp.pipe_names if n.startswith("pushlint")]
    components = [n for n in linter.nlp.pipe_names if n not in ours]
    model_path = spacy.util.get_package_path(linter.model)
    same = spacy.load(
        linter.model, exclude=[n for n in _components(model_path) if n not in components]
    )
    with numpy_blas():  # what pushlint does: the same components on numpy's BLAS
        same_numpy = spacy.load(
            linter.model, exclude=[n for n in _components(model_path) if n not in components]
        )
    full = spacy.load(linter.model)

    def bare_numpy() -> object:
        with one_blas_thread():
            return [None for _ in same_numpy.pipe(texts)]

    lint_paths(files[:20], jobs=1)  # warm up: rules compiled, first batches done
    lint_check = _proselint()

    runs: dict[str, Callable[[], object]] = {
        "bare": lambda: [None for _ in same.pipe(texts)],
        "bare-full": lambda: [None for _ in full.pipe(texts)],
        "bare-numpy": bare_numpy,
        "pushlint": lambda: lint_paths(files, jobs=1),
        "proselint": lambda: [lint_check(f.read_text(encoding="utf-8")) for f in files],
    }
    timings = _alternate(runs, repeats)
    rate = {name: words / seconds for name, seconds in timings.items()}
    print(f"\n{size} emails, {words:,} words; components {components}")
    for name, value in rate.items():
        print(f"  {name:<10} {value:10,.0f} words/s")
    print(f"  ratio pushlint / bare        {rate['pushlint'] / rate['bare']:.2f}")
    print(f"  ratio pushlint / bare (full) {rate['pushlint'] / rate['bare-full']:.2f}")
    print(f"  ratio pushlint / bare (numpy BLAS) {rate['pushlint'] / rate['bare-numpy']:.2f}")
    label = f"{size} emails ({words:,} words)"
    return [
        (f"{label}: pushlint", f"{rate['pushlint']:,.0f} words/s"),
        (f"{label}: bare nlp.pipe, same components", f"{rate['bare']:,.0f} words/s"),
        (f"{label}: ratio pushlint / bare", f"{rate['pushlint'] / rate['bare']:.2f}"),
        (f"{label}: bare nlp.pipe, every component", f"{rate['bare-full']:,.0f} words/s"),
        (f"{label}: ratio pushlint / every component",
         f"{rate['pushlint'] / rate['bare-full']:.2f}"),
        (f"{label}: bare nlp.pipe, same components on numpy's BLAS",
         f"{rate['bare-numpy']:,.0f} words/s"),
        (f"{label}: ratio pushlint / that", f"{rate['pushlint'] / rate['bare-numpy']:.2f}"),
        (f"{label}: proselint", f"{rate['proselint']:,.0f} words/s"),
    ]  # fmt: skip


def selective_share(pushlint: object) -> list[tuple[str, str]]:
    """Of all words, the share in sentences that hold a literal word some parse-needing
    rule requires: what a sentence-selective parser would still have to parse."""
    from pushlint.api import get_linter
    from pushlint.checks.dependency import DependencyCheck
    from pushlint.checks.metric import METRICS, MetricCheck
    from pushlint.checks.pattern import PatternCheck
    from pushlint.checks.prefilter import DocWords

    linter = get_linter()
    heavy = {r.id for r in linter.component.active if r.spec.needs() & {"tag", "lemma", "parse"}}
    patterns = [
        [(a, v) for a, v in p.requirements if a != "DEP"]
        for check in linter.component.checks
        if isinstance(check, PatternCheck | DependencyCheck)
        for p in check._patterns
        if p.rule.id in heavy
    ]
    cue_words: set[str] = set()
    for check in linter.component.checks:
        if isinstance(check, MetricCheck):
            for rule in check._rules:
                metric = METRICS[rule.spec.metric]  # type: ignore[union-attr]
                if "parse" in metric.needs:
                    params = {**metric.params, **rule.spec.params}  # type: ignore[union-attr]
                    cue_words |= {w for key, v in params.items() if key != "shared_verbs"
                                  and isinstance(v, list) for w in v}  # fmt: skip
    cues = frozenset(linter.nlp.vocab.strings.add(w) for w in cue_words)
    total = by_patterns = by_all = 0
    with linter.nlp.select_pipes(disable=["pushlint"]):
        for doc in linter.nlp.pipe(generate(400, seed=9)):
            for sent in doc.sents:
                words = DocWords(sent.as_doc())
                size = sum(1 for t in sent if not t.is_space)
                needed = any(words.satisfies(reqs) for reqs in patterns)
                total += size
                by_patterns += size * needed
                by_all += size * (needed or words.has_any("LOWER", cues))
    print(f"\nselective parsing: {by_all / total:.0%} of words sit in sentences a rule "
          f"needs parsed; {by_patterns / total:.0%} without the subject metrics")  # fmt: skip
    return [
        ("words in sentences some rule needs parsed", f"{by_all / total:.0%}"),
        ("... leaving out the subject metrics (PL150, PL152)", f"{by_patterns / total:.0%}"),
    ]


def single_draft(root: Path, repeats: int, model: str) -> list[tuple[str, str]]:
    """A rep's check of a new draft: rule files parsed before (the cache keeps their
    parse), the draft itself never seen before (a new text each run)."""
    cache = root / "draft-cache"
    pushlint_bin = shutil.which("pushlint", path=str(Path(sys.executable).parent)) or "pushlint"
    warm_up = root / "warm-up.txt"
    warm_up.write_text("Thanks for your time today.\n", encoding="utf-8")
    _command([pushlint_bin, "check", str(warm_up)], cache)()
    drafts = iter(range(10_000))

    def pushlint_draft() -> object:
        draft = root / f"draft-{next(drafts)}.txt"
        draft.write_text(f"{DRAFT} Ref {draft.stem}.\n", encoding="utf-8")
        return _command([pushlint_bin, "check", str(draft)], cache)()

    commands: dict[str, Callable[[], object]] = {
        "pushlint check draft": pushlint_draft,
        "spaCy load + parse": _command(
            [sys.executable, "-c", f"import spacy; spacy.load({model!r})({DRAFT!r})"]
        ),
    }
    timings = _alternate(commands, repeats)
    ratio = timings["pushlint check draft"] / timings["spaCy load + parse"]
    print(f"\none draft, process start to exit: pushlint {timings['pushlint check draft']:.2f} s, "
          f"spaCy load+parse {timings['spaCy load + parse']:.2f} s, ratio {ratio:.2f}")  # fmt: skip
    return [
        ("one draft: pushlint check, start to exit", f"{timings['pushlint check draft']:.2f} s"),
        ("one draft: python -c 'spacy.load(...)(TEXT)'", f"{timings['spaCy load + parse']:.2f} s"),
        ("one draft: ratio", f"{ratio:.2f}"),
    ]


def cache_rerun(folder: Path, root: Path, repeats: int) -> list[tuple[str, str]]:
    """A folder linted cold, then unchanged from the cache; and the fixed cost of any
    run (an empty folder), which bounds the ratio on small folders."""
    count = len(list(folder.iterdir()))
    empty = root / "empty"
    empty.mkdir(exist_ok=True)
    cold: list[float] = []
    warm: list[float] = []
    pretty: list[float] = []
    start: list[float] = []
    for i in range(repeats):
        cache = root / f"cache-{i}"
        args = ["check", str(folder), "--jobs", "1", "-f", "concise", "-o", os.devnull]
        cold.append(_time(_command(_cli(args), cache)))
        warm.append(_time(_command(_cli(args), cache)))
        pretty_args = ["check", str(folder), "--jobs", "1", "-o", os.devnull]
        pretty.append(_time(_command(_cli(pretty_args), cache)))
        start.append(_time(_command(_cli(["check", str(empty), "-f", "concise"]), cache)))
    c, w, s = statistics.median(cold), statistics.median(warm), statistics.median(start)
    p = statistics.median(pretty)
    per_file = (c - s) / (w - s)
    print(f"\n{count} files: cold {c:.2f} s, cached re-run {w:.2f} s, {c / w:.1f}x; "
          f"default report {p:.2f} s; start-up {s:.2f} s; per file {per_file:.1f}x")  # fmt: skip
    return [
        (f"{count} files, cold (--jobs 1)", f"{c:.2f} s"),
        (f"{count} files, unchanged re-run from the cache", f"{w:.2f} s"),
        ("cache speed-up", f"{c / w:.1f}x"),
        ("... the re-run with the default report (`pretty`, to a file)", f"{p:.2f} s"),
        ("... its speed-up over the cold run", f"{c / p:.1f}x"),
        ("start-up: an empty folder, start to exit", f"{s:.2f} s"),
        ("cache speed-up per file (start-up taken out of both)", f"{per_file:.1f}x"),
    ]


def jobs(folder: Path, root: Path, repeats: int) -> list[tuple[str, str]]:
    count = len(list(folder.iterdir()))
    runs = {
        f"--jobs {n}": _command(
            _cli(["check", str(folder), "--no-cache", "--jobs", str(n), "-f", "concise",
                  "-o", os.devnull]),
            root / "unused-cache",
        )
        for n in (1, 2)
    }  # fmt: skip
    timings = _alternate(runs, max(1, repeats - 1))
    speedup = timings["--jobs 1"] / timings["--jobs 2"]
    print(f"\n{count} files: --jobs 1 {timings['--jobs 1']:.2f} s, --jobs 2 "
          f"{timings['--jobs 2']:.2f} s, {speedup:.2f}x")  # fmt: skip
    return [
        (f"{count} files, --jobs 1", f"{timings['--jobs 1']:.2f} s"),
        (f"{count} files, --jobs 2", f"{timings['--jobs 2']:.2f} s"),
        ("--jobs 2 speed-up", f"{speedup:.2f}x"),
    ]


def memory(root: Path, sizes: Sequence[int]) -> list[tuple[str, str]]:
    """Peak RSS of the whole run (the largest of pushlint and its workers)."""
    emails = generate(max(sizes), seed=3)
    rows = []
    peaks = []
    for size in sizes:
        folder = _write(root / f"rss-{size}", emails[:size])
        probe = (
            "import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], check=False)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        )
        argv = _cli(["check", str(folder), "--no-cache", "-f", "concise", "-o", os.devnull])
        out = subprocess.run(
            [sys.executable, "-c", probe, *argv],
            capture_output=True, text=True, check=False, env=_env(root / "unused-cache"),
        ).stdout  # fmt: skip
        peak_mb = int(out.strip().splitlines()[-1]) / 1024
        peaks.append(peak_mb)
        rows.append((f"peak RSS, {size:,} files", f"{peak_mb:,.0f} MB"))
        print(f"\npeak RSS at {size:,} files: {peak_mb:,.0f} MB")
    rows.append(("peak RSS growth, largest vs smallest", f"{peaks[-1] / peaks[0] - 1:+.1%}"))
    return rows


def _alternate(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds per run, runs alternated so drift hits all alike."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            timings[name].append(_time(run))
    return {name: statistics.median(values) for name, values in timings.items()}


def _time(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _command(argv: list[str], cache: Path | None = None) -> Callable[[], object]:
    env = _env(cache or Path(tempfile.gettempdir()) / "pushlint-bench-cache")
    return lambda: subprocess.run(argv, env=env, capture_output=True, check=False)


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "pushlint", *args]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "PUSHLINT_CACHE_DIR": str(cache), "NO_COLOR": "1"}


def _write(folder: Path, texts: Sequence[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"email-{i:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def _components(model_path: Path) -> list[str]:
    import spacy

    configs = sorted(model_path.glob("*/config.cfg"))
    config = spacy.util.load_config(configs[-1], interpolate=False)
    return list(config["nlp"]["pipeline"])


def _proselint() -> Callable[[str], object]:
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)
    return lambda text: LintFile("email.txt", text).lint(DEFAULT)


def _byte_compile(package: Path) -> None:
    """Write pushlint's bytecode, as `pip install` does for a regular install. From an
    editable install under PYTHONDONTWRITEBYTECODE=1 (set on some CI machines), every
    run would otherwise compile pushlint's sources again (about 0.08 s here), while the
    spaCy baseline imports precompiled code from site-packages."""
    import compileall

    compileall.compile_dir(package, quiet=1)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed (pip install -e '.[bench]')"


if __name__ == "__main__":
    main()
