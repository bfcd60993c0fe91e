"""Benchmark for `pushlint score`: messages per second on a generated CRM export.

    pip install -e '.[test,bench]'
    python bench/score.py                      # 100k messages: about an hour on 2 cores
    python bench/score.py --messages 5000      # a first look in a few minutes
    python bench/score.py --runs dask          # only some runs: tenth,jobs1,jobs2,dasktenth,dask

Writes a JSON Lines export of synthetic sales emails (bench/corpus.py) with CRM
metadata, then times the real command line on it: `--jobs 1`, `--jobs 2`, and
`--dask local --jobs 2` (a two-worker LocalCluster). For each: wall time (model load
and cluster start included), messages per second, and peak memory, of the process
that reads and writes (the one that must stay flat) and of all its processes together.
A run on a tenth of the export shows whether memory stays flat as the export grows.
Nothing is asserted; tests check the rows are the same, this measures speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # installed with distributed (the scale extra)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

TEAMS = ("east", "west", "enterprise", "smb")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Write the export and outputs here.")
    parser.add_argument(
        "--runs",
        default="tenth,jobs1,jobs2,dasktenth,dask",
        help="Which runs, comma-separated.",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pushlint-score-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    big = write_export(folder / "export.jsonl", args.messages)
    small = write_export(folder / "export-tenth.jsonl", max(args.messages // 10, 100))
    runs = {
        "tenth": ("--jobs 1, tenth of the export", small, ["--jobs", "1"]),
        "jobs1": ("--jobs 1", big, ["--jobs", "1"]),
        "jobs2": ("--jobs 2", big, ["--jobs", "2"]),
        "dask": ("--dask local --jobs 2", big, ["--dask", "local", "--jobs", "2"]),
        "dasktenth": (
            "--dask local --jobs 2, tenth of the export",
            small,
            ["--dask", "local", "--jobs", "2"],
        ),
    }
    memory = psutil.virtual_memory().total / 2**30
    print(f"machine: {platform.platform()}, {psutil.cpu_count()} cores, {memory:.0f} GiB")
    print(f"Python {platform.python_version()}, pushlint {_version()}")
    size = big.stat().st_size / 2**20
    print(f"export: {args.messages:,} messages, {size:.0f} MiB of JSON Lines")
    print()
    print(
        "| run | messages | wall s | messages/s | main process CPU s "
        "| peak RSS, main process | all processes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in args.runs.split(","):
        label, export, extra = runs[name]
        count, seconds, cpu, main_rss, tree_rss = timed(export, folder / "scored.parquet", extra)
        print(
            f"| {label} | {count:,} | {seconds:.0f} | {count / seconds:.0f} | {cpu:.0f} | "
            f"{main_rss / 2**20:.0f} MB | {tree_rss / 2**20:.0f} MB |",
            flush=True,
        )


def write_export(path: Path, count: int) -> Path:
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(generate(count, seed=count)):
            row = {
                "id": f"em-{i:07d}",
                "text": text,
                "kind": "email",
                "author": f"rep-{rng.randrange(40):02d}",
                "team": rng.choice(TEAMS),
                "date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
            }
            out.write(json.dumps(row) + "\n")
    return path


def timed(export: Path, output: Path, extra: list[str]) -> tuple[int, float, float, int, int]:
    """Run the command, sampling the memory of it and its children until it exits; with
    the CPU time of the main process (with --dask: what reading, sending and writing
    cost, the ceiling on how many workers one client can feed)."""
    argv = [sys.executable, "-m", "pushlint", "score", str(export), "-o", str(output), *extra]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(process.pid)
    main_peak = tree_peak = 0
    cpu = 0.0
    while process.poll() is None:
        try:
            times = watched.cpu_times()
            cpu = times.user + times.system
            main = watched.memory_info().rss
            tree = main + sum(_rss(child) for child in watched.children(recursive=True))
        except psutil.Error:
            break
        main_peak, tree_peak = max(main_peak, main), max(tree_peak, tree)
        time.sleep(0.25)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    count = int(out.split(":", 1)[1].split("rows")[0].replace(",", "").strip())
    os.sync()
    return count, seconds, cpu, main_peak, tree_peak


def _version() -> str:
    from pushlint import __version__

    return __version__


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


if __name__ == "__main__":
    main()
