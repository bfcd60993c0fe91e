"""Words per second: pushlint vs bare `nlp.pipe` over the same pipeline and components.

    python bench/throughput.py [--emails 3000] [--repeats 3]

The bare run uses the very pipeline pushlint loaded, with pushlint's own components
switched off, so the ratio isolates what matching, conditions and scoring cost.
Aim: ratio >= 0.8 (the matching must not cost more than the parse).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402

import pushlint  # noqa: E402
from pushlint.sources import Message  # noqa: E402

BATCH = 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    texts = generate(args.emails)
    words = sum(len(t.split()) for t in texts)
    linter = pushlint.get_linter()
    nlp = linter.nlp
    ours = [n for n in nlp.pipe_names if n.startswith("pushlint")]
    messages = [Message(f"email-{i}.txt", t) for i, t in enumerate(texts)]

    def bare() -> None:
        with nlp.select_pipes(disable=ours):
            for _ in nlp.pipe(texts, batch_size=BATCH):
                pass

    def lint() -> None:
        for _ in linter.lint_messages(messages):
            pass

    list(linter.lint_messages(messages[:50]))  # warm up
    timings: dict[str, list[float]] = {"bare": [], "pushlint": []}
    for _ in range(args.repeats):  # alternate, so drift hits both alike
        for name, run in (("bare", bare), ("pushlint", lint)):
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)

    bare_wps = words / statistics.median(timings["bare"])
    lint_wps = words / statistics.median(timings["pushlint"])
    print(f"machine    {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"model      {linter.model} {linter.model_version}; components {[n for n in nlp.pipe_names if n not in ours]}")
    print(f"corpus     {len(texts)} emails, {words:,} words, median of {args.repeats} runs")
    print(f"bare       {bare_wps:10,.0f} words/s")
    print(f"pushlint   {lint_wps:10,.0f} words/s")
    print(f"ratio      {lint_wps / bare_wps:10.2f}  (target >= 0.8)")


if __name__ == "__main__":
    main()
