"""The speed-ups change how much work is done, never what is found.

Each one is compared with the plain way of doing the same thing, on the labelled
example corpus and on the benchmark's generated emails.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator

import numpy
import pytest
import spacy
import thinc.api

from pushlint.api import Linter
from pushlint.attributes import speed_up_attribute_rulers, speed_up_lemmatizers
from pushlint.checks.dependency import DependencyCheck
from pushlint.checks.pattern import PatternCheck
from pushlint.checks.prefilter import DocWords, anchors, hashed, max_length
from pushlint.corpus import load_corpus
from pushlint.nlp import RecurringWords, default_model, numpy_blas, one_blas_thread
from tests.conftest import EXAMPLES, ROOT

TRICKY = [
    "",
    "   \n\n ",
    "Hi",
    "I'm sure we're gonna do it, ain't we? Y'all gotta see it. Let's go, c'mon.",
    "There is a deal. There's nothin' to lose.\n\n- one\n- two",
    "WE ARE THE LEADING PROVIDER!!! Sign now :) 🙂 كتابة",
]


def _texts() -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    samples = load_corpus([EXAMPLES / "corpus"])
    return [s.text for s in samples] + module.generate(150, seed=11) + TRICKY


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_fast_attribute_ruler_and_lemmatizer_set_exactly_what_spacy_sets(texts: list[str]) -> None:
    plain = spacy.load(default_model(), exclude=["ner"])
    fast = spacy.load(default_model(), exclude=["ner"])
    speed_up_attribute_rulers(fast)
    speed_up_lemmatizers(fast)
    assert type(fast.get_pipe("lemmatizer")) is not type(plain.get_pipe("lemmatizer"))
    assert fast.get_pipe("attribute_ruler").match is not plain.get_pipe("attribute_ruler").match
    columns = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD"]
    compared = multi_token = 0
    for a, b in zip(plain.pipe(texts), fast.pipe(texts), strict=True):
        assert numpy.array_equal(a.to_array(columns), b.to_array(columns)), a.text[:80]
        assert [str(t.morph) for t in a] == [str(t.morph) for t in b]
        compared += len(a)
        multi_token += bool(fast.get_pipe("attribute_ruler").match.rest_matches(b))
    assert compared > 10_000
    # both ways of writing were compared: shape by shape, and match by match ("let's")
    assert 0 < multi_token < len(texts)


def test_numpy_blas_annotates_exactly_what_spacys_default_blis_does(texts: list[str]) -> None:
    """pushlint's models multiply with numpy's BLAS (fast where blis falls back to its
    generic kernels); the tags, parses and lemmas must not change."""
    plain = spacy.load(default_model(), exclude=["ner"])
    with numpy_blas():
        fast = spacy.load(default_model(), exclude=["ner"])
    tok2vec_ops = {layer.ops.use_blis for layer in fast.get_pipe("tok2vec").model.walk()}
    assert tok2vec_ops == {False}
    assert {layer.ops.use_blis for layer in plain.get_pipe("tok2vec").model.walk()} == {True}
    assert thinc.api.get_current_ops().use_blis  # the switch does not outlive the load
    columns = ["TAG", "POS", "LEMMA", "DEP", "HEAD", "SENT_START"]
    compared = 0
    with one_blas_thread():
        for a, b in zip(plain.pipe(texts), fast.pipe(texts), strict=True):
            assert numpy.array_equal(a.to_array(columns), b.to_array(columns)), a.text[:80]
            compared += len(a)
    assert compared > 10_000


def test_numpy_blas_leaves_ops_the_caller_chose_alone() -> None:
    class ChosenOps(thinc.api.NumpyOps):  # stands in for CupyOps or thinc-apple-ops
        name = "chosen"

    previous = thinc.api.get_current_ops()
    chosen = ChosenOps()
    thinc.api.set_current_ops(chosen)
    try:
        with numpy_blas():
            assert thinc.api.get_current_ops() is chosen
    finally:
        thinc.api.set_current_ops(previous)
    with numpy_blas():
        assert thinc.api.get_current_ops().use_blis is False


def test_one_blas_thread_is_restored_after_the_run() -> None:
    from threadpoolctl import threadpool_info

    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    with one_blas_thread():
        inside = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    after = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert inside and set(inside) == {1}
    assert after == before


def test_a_library_caller_keeps_its_blas_threads_between_reports() -> None:
    """The one-thread limit holds while spaCy computes, not while the caller's loop runs."""
    from threadpoolctl import threadpool_info

    from pushlint.api import get_linter
    from pushlint.sources import Message

    def threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    linter = get_linter()
    before = threads()
    messages = [Message(f"m{i}.txt", f"We can ship it by Friday, deal {i}.") for i in range(3)]
    seen = [threads() for _ in linter.lint_messages(messages)]
    assert seen == [before] * 3


def _docs(linter: Linter, texts: list[str]) -> Iterator[spacy.tokens.Doc]:
    with linter.nlp.select_pipes(disable=["pushlint"]):
        yield from linter.nlp.pipe(texts)


def test_windowed_token_patterns_find_every_whole_doc_match(
    linter: Linter, texts: list[str]
) -> None:
    (check,) = [c for c in linter.component.checks if isinstance(c, PatternCheck)]
    windowed = [p for p in check._patterns if p.anchors]
    assert len(windowed) > 200  # most shipped patterns have a literal word to search around
    # and the windows of some reach through a repeated word ("can we set up a quick call")
    assert sum(any(a[1][1] or a[2][1] for a in p.anchors) for p in windowed) > 10
    found = 0
    for doc in _docs(linter, texts):
        words = DocWords(doc)
        for compiled in check._patterns:
            whole = sorted((s, e) for _, s, e in compiled.matcher(doc))
            fast = (
                sorted(compiled.spans(doc, words)) if words.satisfies(compiled.requirements) else []
            )
            assert fast == whole, (compiled.rule.id, compiled.index, doc.text[:80])
            found += len(whole)
    assert found > 100


def test_sentence_scoped_dependency_patterns_find_every_whole_doc_match(
    linter: Linter, texts: list[str]
) -> None:
    (check,) = [c for c in linter.component.checks if isinstance(c, DependencyCheck)]
    found = 0
    for doc in _docs(linter, texts):
        words = DocWords(doc)
        for compiled in check._patterns:
            whole = sorted(ids for _, ids in compiled.matcher(doc))
            fast = (
                sorted(compiled.matches(doc, words))
                if words.satisfies(compiled.requirements)
                else []
            )
            assert fast == whole, (compiled.rule.id, compiled.index, doc.text[:80])
            found += len(whole)
    assert found > 50


@pytest.mark.parametrize(
    ("pattern", "length"),
    [
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}], 2),
        ([{"LOWER": "a"}, {"OP": "{1,3}"}], 4),
        ([{"LOWER": "a"}, {"OP": "{2}"}, {"OP": "!"}], 4),
        ([{"LOWER": "a"}, {"OP": "*"}], None),
        ([{"LOWER": "a"}, {"OP": "+"}], None),
        ([{"LOWER": "a"}, {"OP": "{2,}"}], None),
    ],
)
def test_pattern_length_bounds_every_quantifier(
    pattern: list[dict[str, str]], length: int | None
) -> None:
    assert max_length(pattern) == length


def test_a_match_reaches_as_far_as_the_tokens_around_its_anchor() -> None:
    pattern = [
        {"LOWER": "can"},
        {"LOWER": "we", "OP": "?"},
        {"LOWER": {"IN": ["a", "quick"]}, "OP": "*"},
        {"LOWER": "call"},
        {"OP": "{0,2}"},
    ]
    can, call = anchors(pattern) or []
    repeat = [("LOWER", frozenset({"a", "quick"}))]
    assert can == (("LOWER", frozenset({"can"})), (0, []), (4, [repeat]))
    assert call == (("LOWER", frozenset({"call"})), (2, [repeat]), (2, []))
    assert anchors([{"LOWER": "can"}, {"OP": "*"}]) is None  # a repeat over any word


def test_a_repeated_word_reaches_no_further_than_its_longest_run() -> None:
    nlp = spacy.blank("en")
    doc = nlp("a quick a call , a quick quick a quick call")
    words = DocWords(doc)
    (requirement,) = hashed([("LOWER", frozenset({"a", "quick"}))], nlp.vocab.strings)
    assert words.longest_run([requirement]) == 5
    (call,) = hashed([("LOWER", frozenset({"call"}))], nlp.vocab.strings)
    assert words.longest_run([requirement, call]) == 0


def test_words_cached_before_a_memory_zone_tokenize_as_spacy_does(texts: list[str]) -> None:
    """The tokenizer cache RecurringWords fills must give the tokens, and the
    attributes of special cases ("don't" -> "do", "n't"), that a fresh tokenizer gives;
    and a recurring word the vocabulary did not know (a name) must not outlive its zone,
    or `nlp.to_disk` would write it out with the pipeline."""
    sample = [*texts[:40], "Zaphodia, we don't ship U.K. orders; can't you wait, Zaphodia?"] * 2

    def pipeline() -> spacy.language.Language:
        nlp = spacy.blank("en")
        for text in sample:  # a vocabulary that knows the words of the sample, but no name
            for word in text.split():
                if not word.startswith("Zaphodia"):
                    nlp.vocab.strings.add(word.rstrip(".,;:!?"))
        return nlp

    nlp, plain = pipeline(), spacy.blank("en")
    warmed = RecurringWords(nlp)
    warmed.warm(sample)
    capped = RecurringWords(pipeline(), limit=20)
    capped.warm(sample)
    assert len(capped._done) == 20 < 300 < len(warmed._done)
    for _ in range(2):  # the cached entries outlive a zone
        with nlp.memory_zone():
            for text in sample:
                ours, theirs = nlp.make_doc(text), plain.make_doc(text)
                assert [(t.text, t.whitespace_, t.norm_) for t in ours] == [
                    (t.text, t.whitespace_, t.norm_) for t in theirs
                ]
    assert "Zaphodia" not in nlp.vocab.strings and not any("Zaphodia" in w for w in warmed._done)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["rules", "list"],
        ["explain", "PL301"],
        ["check", "--help"],
        ["score", "--help"],
        ["cache", "dir"],
    ],
)
def test_commands_that_need_no_model_never_import_spacy(argv: list[str]) -> None:
    probe = (
        "import sys\n"
        "from pushlint.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_checks_find_every_hit_a_plain_run_of_every_pattern_finds(
    linter: Linter, texts: list[str]
) -> None:
    """End to end through the anchor-word index, the windows and the sentence copies."""
    checks = [c for c in linter.component.checks if isinstance(c, PatternCheck | DependencyCheck)]
    assert len(checks) == 2
    found = 0
    for doc in _docs(linter, texts):
        for check in checks:
            fast = sorted((h.rule.id, h.start, h.end) for h in check(doc, DocWords(doc)))
            plain = []
            for compiled in check._patterns:
                if isinstance(check, PatternCheck):
                    plain += [(compiled.rule.id, s, e) for _, s, e in compiled.matcher(doc)]
                else:
                    for _, ids in compiled.matcher(doc):
                        shown = [ids[n] for n in compiled.shown] or ids
                        plain.append((compiled.rule.id, min(shown), max(shown) + 1))
            assert fast == sorted(plain), doc.text[:80]
            found += len(plain)
    assert found > 150
