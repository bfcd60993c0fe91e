"""`metric` rules: document-level measures compared with a threshold.

The measures live here, in Python, because they count and compare; the thresholds and
word lists live in YAML (`above`, `below`, `min_words`, `params`) where teams tune them.
This module imports no spaCy at load time: the schema reads `METRICS` to validate names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pushlint.checks.base import Hit, Trace
from pushlint.rules.loader import LoadedRule
from pushlint.sources.mask import is_stand_in
from pushlint.turns import layout_of, text_of, words_in

if TYPE_CHECKING:  # the rule schema imports METRICS: a cached run never loads numpy
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from pushlint.checks.prefilter import DocWords


@dataclass(frozen=True)
class MetricValue:
    value: float | None  # None: the measure does not apply (a call metric on an email)
    evidence: list[tuple[int, int]] = field(default_factory=list)  # token spans


MetricFunc = Callable[["Doc", dict[str, Any]], MetricValue]


@dataclass(frozen=True)
class Metric:
    func: MetricFunc
    needs: frozenset[str]
    params: dict[str, Any]
    summary: str
    unit: str = "count"  # or "share", shown as a percentage


METRICS: dict[str, Metric] = {}


def metric(
    name: str, *, needs: set[str], summary: str, unit: str = "count", **params: Any
) -> Callable[[MetricFunc], MetricFunc]:
    def register(func: MetricFunc) -> MetricFunc:
        METRICS[name] = Metric(func, frozenset(needs), params, summary, unit)
        return func

    return register


def word_count(doc: Doc) -> int:
    if not len(doc):
        return 0
    flags = doc.to_array(["IS_ALPHA", "LIKE_NUM"])
    return int((flags.max(axis=1) > 0).sum())


# Who owns a clause: shared by the subject metrics, tunable per rule through `params`.
# Subjects of `shared_verbs` ("before we talk", "we can review it") are the seller and
# the reader together, not the vendor talking about itself.
_SUBJECT_WORDS: dict[str, list[str]] = {
    "vendor_words": ["we", "us"],
    "vendor_possessives": ["our"],
    "customer_words": ["you"],
    "customer_possessives": ["your"],
    "shared_verbs": [
        "talk", "meet", "discuss", "speak", "chat", "look", "review", "go", "start", "plan",
        "decide", "help", "do", "wait", "try", "see", "compare", "walk", "find", "pick",
        "figure", "agree", "work", "schedule", "set", "sit", "map", "check", "test", "keep",
        # "we noticed your page loads slowly": the seller attending to the reader
        "notice",
    ],
    # "our customers see savings in month two" is about people like the reader, not
    # the vendor talking about itself: such subjects count for neither side
    "peer_nouns": ["customer", "client", "user"],
    # "... so they can run it without us": the purpose clause's people are the reader's
    "third_persons": ["they", "he", "she"],
    # in a rep's own notes ("Call notes: ..."), the customer is "they", "her team"
    "third_possessives": ["their", "his", "her"],
    # "we've fixed the issue your admin reported": the vendor acting on what the reader
    # raised is an answer to them, not the vendor talking about itself
    "raised_verbs": [
        "report", "ask", "request", "raise", "flag", "mention", "need", "want", "suggest",
        "describe", "name", "choose", "pick", "prefer", "approve", "send", "propose",
    ],
    # "since your feedback, we have changed two things", "following your request, we've
    # added SSO": the same answer, the reader's request named as a noun
    "raised_nouns": [
        "feedback", "request", "comment", "complaint", "suggestion", "question", "ticket",
    ],
    # "our engineers traced it to an expired token", "we've refunded the charge": support
    # work on a problem, an account of service rather than the vendor's self-talk
    "service_verbs": [
        "fix", "resolve", "trace", "diagnose", "restore", "recover", "refund", "repair",
        "patch", "investigate", "correct", "find",
    ],
    # "we don't support on-premise installs": what the product lacks, said plainly, is
    # candour (only with these verbs: "we haven't heard back" is a chase)
    "limit_verbs": [
        "support", "offer", "provide", "have", "do", "include", "cover", "handle",
        "integrate", "work", "sell", "ship", "run", "sync", "push", "store", "connect",
        "fit", "suit", "scale",
    ],
    # "I'm sorry we missed the delivery window": a mistake owned
    "apology_words": ["sorry", "apologise", "apologize", "regret"],
}  # fmt: skip


# What both subject metrics leave out, in one place (see `_subjects`).
_WHO_OWNS_A_CLAUSE = (
    "A plain 'I' counts for neither side, nor do 'our customers', nor does work done for "
    "the reader ('we'll send it so your team can ...', 'we fixed the issue your admin "
    "reported', 'since your feedback we have changed two things', 'our engineers traced "
    "it to an expired token', 'we have noted your new address'), nor what the product does "
    "not do ('we don't support on-premise'), nor a mistake owned ('sorry we missed the "
    "window'). In a rep's notes ('Call notes: ...'), 'they' and 'her team' are the "
    "customer."
)


@metric("words", needs=set(), summary="Number of words in the message.")
def _words(doc: Doc, params: dict[str, Any]) -> MetricValue:
    return MetricValue(word_count(doc), [(0, len(doc))] if len(doc) else [])


@metric(
    "vendor_subject_share",
    needs={"parse"},
    unit="share",
    summary=(
        "Of the clauses whose subject is the vendor (we, our product) or the customer "
        "(you, your team), the share owned by the vendor. " + _WHO_OWNS_A_CLAUSE
    ),
    min_vendor=4,
    **_SUBJECT_WORDS,
)
def _vendor_subject_share(doc: Doc, params: dict[str, Any]) -> MetricValue:
    vendor, customer = _subjects(doc, params)
    if len(vendor) < int(params["min_vendor"]):
        return MetricValue(0.0)
    return MetricValue(len(vendor) / (len(vendor) + customer), vendor)


@metric(
    "vendor_subject_margin",
    needs={"parse"},
    summary=(
        "Clauses whose subject is the vendor (we, our product) minus clauses whose subject "
        "is the customer (you, your team). " + _WHO_OWNS_A_CLAUSE
    ),
    **_SUBJECT_WORDS,
)
def _vendor_subject_margin(doc: Doc, params: dict[str, Any]) -> MetricValue:
    vendor, customer = _subjects(doc, params)
    return MetricValue(float(len(vendor) - customer), vendor)


def _subjects(doc: Doc, params: dict[str, Any]) -> tuple[list[tuple[int, int]], int]:
    """Token spans of vendor-owned subjects, and the number of customer-owned ones."""
    vendor_words = {w.lower() for w in params["vendor_words"]}
    vendor_poss = {w.lower() for w in params["vendor_possessives"]}
    shared = {w.lower() for w in params.get("shared_verbs", ())}
    customer_words = {w.lower() for w in params["customer_words"]}
    customer_poss = {w.lower() for w in params["customer_possessives"]}
    peers = {w.lower() for w in params.get("peer_nouns", ())}
    third_persons = {w.lower() for w in params.get("third_persons", ())}
    helped = customer_words | third_persons
    raised = {w.lower() for w in params.get("raised_verbs", ())}
    raised_nouns = {w.lower() for w in params.get("raised_nouns", ())}
    service = {w.lower() for w in params.get("service_verbs", ())}
    limits = {w.lower() for w in params.get("limit_verbs", ())}
    apologies = {w.lower() for w in params.get("apology_words", ())}
    layout = layout_of(doc)
    if layout.notes:  # a rep's notes name the customer as "they" ("she said ...")
        customer_words = customer_words | third_persons
        customer_poss = customer_poss | {w.lower() for w in params.get("third_possessives", ())}
    vendor: list[tuple[int, int]] = []
    customer = 0
    subjects = {doc.vocab.strings["nsubj"], doc.vocab.strings["nsubjpass"]}
    deps = doc.to_array(["DEP"]).reshape(-1).tolist() if len(doc) else []
    for i in (i for i, dep in enumerate(deps) if dep in subjects):
        token = doc[i]
        if not layout.by_seller(token.idx):
            continue
        if token.lower_ in vendor_words and _shared_we(token, shared):
            continue
        if _owned_by(token, vendor_words, vendor_poss):
            # ("one of our customers" is a peer of the reader's too)
            if any(t.lemma_.lower() in peers for t in (token, *_wholes(token))):
                continue
            if _so_the_reader_can(token.head, helped, customer_poss):
                continue
            if _answers_the_reader(token.head, raised, customer_words, customer_poss):
                continue
            if _prompted_by_the_reader(token.head, raised_nouns, customer_poss):
                continue
            if _did_support_work(token.head, service):
                continue
            if _handled_the_readers_thing(token.head, customer_poss):
                continue
            if _admits_a_limit(token.head, limits) or _owns_a_fault(token.head, apologies):
                continue
            vendor.append((token.left_edge.i, token.i + 1))
        elif _owned_by(token, customer_words, customer_poss):
            customer += 1
    return vendor, customer


_OFFER_MODALS = frozenset({"can", "could", "would", "'d", "might", "may"})
_NOT_JUST = frozenset({"just", "only", "simply", "merely"})


def _did_support_work(verb: Token, service_verbs: set[str]) -> bool:
    """ "Our engineers traced it to an expired token", "we've refunded the charge", "we're
    investigating": support work done or under way is an account of service. The present
    tense is a capability claim ("our AI resolves 80% of tickets", "our platform finds
    hidden revenue") and stays the vendor's clause."""
    return verb.lemma_.lower() in service_verbs and verb.tag_ in ("VBD", "VBN", "VBG")


_PROMPTED_BY = frozenset({"since", "after", "following", "per", "on"})


def _prompted_by_the_reader(verb: Token, raised_nouns: set[str], customer_poss: set[str]) -> bool:
    """ "Since your feedback, we have changed two things", "following your request, we've
    added SSO": the vendor's clause names the reader's request as its cause."""
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in _PROMPTED_BY
        and any(
            obj.dep_ == "pobj"
            and obj.lemma_.lower() in raised_nouns
            and _owned_by(obj, set(), customer_poss)
            for obj in prep.children
        )
        for prep in verb.children
    )


def _handled_the_readers_thing(verb: Token, customer_poss: set[str]) -> bool:
    """ "We have noted your new delivery address", "we've processed your refund": work
    already done on something of the reader's is an account of service to them. Only a
    done deed (past tense) on the reader's own object; "we help your team grow" is a
    claim, and "we updated our pricing" is the vendor's news."""
    if verb.tag_ not in ("VBD", "VBN"):
        return False
    return any(
        child.dep_ == "dobj" and _owned_by(child, set(), customer_poss) for child in verb.children
    )


def _admits_a_limit(verb: Token, limit_verbs: set[str]) -> bool:
    """ "We don't support on-premise installs", "our API can't push in real time yet": the
    vendor saying what its product does not do is candour for the reader, not
    self-promotion. "We don't just sell software" is the boast again, so a "just" keeps
    the clause."""
    children = list(verb.children)
    return (
        verb.lemma_.lower() in limit_verbs
        and any(c.dep_ == "neg" for c in children)
        and not any(c.lower_ in _NOT_JUST for c in children)
    )


def _owns_a_fault(verb: Token, apology_words: set[str]) -> bool:
    """ "I'm sorry we missed the delivery window", "we should have called you": the vendor
    owning a mistake is an account to the reader, not the vendor talking itself up. The
    apology itself ("we apologise") counts for neither side either."""
    if verb.lemma_.lower() in apology_words or verb.head.lower_ in apology_words:
        return True
    auxes = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    return verb.tag_ == "VBN" and "have" in auxes and "should" in auxes


def _so_the_reader_can(verb: Token, customer_words: set[str], customer_poss: set[str]) -> bool:
    """The vendor acting for the reader: "we'll bring the report so your auditor can judge
    it", "so they can run it without us", "we changed it so it can't happen during your
    peak again". A clause whose purpose is about the reader's people or things is work
    done for them, the customer-centric way to say what the vendor does, not the vendor
    talking about itself ("we built it so it works with any CRM" still is)."""
    for clause in verb.children:
        if clause.dep_ != "advcl" or not any(
            c.lower_ == "so" and c.dep_ in ("mark", "advmod") for c in clause.children
        ):
            continue
        if any(
            token.lower_ in customer_words
            or (token.dep_ == "poss" and token.lower_ in customer_poss)
            for token in clause.subtree
        ):
            return True
    return False


def _answers_the_reader(
    verb: Token, raised: set[str], customer_words: set[str], customer_poss: set[str]
) -> bool:
    """The vendor acting on what the reader raised: "we've fixed the issue your admin
    reported", "I've attached the figures you asked for". The reader's request is inside
    the vendor's clause, so the clause answers them. A clause joined beside it ("we run
    it in four regions, and your team asked for SSO") is not inside it, nor is a clause
    of its own ("we changed it")."""
    for token in verb.subtree:
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and token.head.i != verb.i
            and token.head.lemma_.lower() in raised
            and token.head.tag_ in ("VBD", "VBN")
            and _owned_by(token, customer_words, customer_poss)
            and _inside(token.head, verb)
        ):
            return True
    return False


_BESIDE = frozenset({"conj", "parataxis", "advcl", "cc"})


def _inside(clause: Token, verb: Token) -> bool:
    """Whether `clause` hangs inside `verb`'s own clause (under its object, say) rather
    than beside it: no step up from `clause` to `verb` is a coordinated or adverbial
    clause."""
    node = clause
    while node.i != verb.i:
        if node.dep_ in _BESIDE or node.head.i == node.i:  # (the root: not under verb)
            return False
        node = node.head
    return True


_SHARE_WORDS = frozenset(
    {"one", "some", "any", "each", "all", "most", "many", "none", "several", "few", "both"}
)


def _wholes(subject: Token) -> list[Token]:
    """What a share-word subject is a share of: "nurses" in "one of your nurses"."""
    if subject.lower_ not in _SHARE_WORDS and not subject.like_num:
        return []
    return [
        whole
        for of in subject.children
        if of.dep_ == "prep" and of.lower_ == "of"
        for whole in of.children
        if whole.dep_ == "pobj"
    ]


def _owned_by(subject: Token, words: set[str], possessives: set[str]) -> bool:
    """Whether a subject is one side's: the word itself ("we") or its owner ("our team",
    and "your ops lead", where the parser hangs the owner on the compound "ops"), or a
    share of theirs ("one of your nurses", "two of our engineers")."""
    if subject.lower_ in words:
        return True
    owners = [subject, *(c for c in subject.children if c.dep_ == "compound")]
    owners += _wholes(subject)
    return any(
        c.dep_ == "poss" and c.lower_ in possessives for owner in owners for c in owner.children
    )


def _shared_we(subject: Token, shared_verbs: set[str]) -> bool:
    """An inclusive "we" (seller and reader together): "before we talk", "should we meet?",
    "we'd be happy to help". Those clauses are not the vendor talking about itself."""
    verb = subject.head
    if verb.lemma_.lower() in shared_verbs:
        return True
    # "we missed each other", "we've known one another for years": both sides at once
    if any(
        c.lower_ in ("other", "another") and any(g.lower_ in ("each", "one") for g in c.children)
        for c in verb.children
    ):
        return True
    if verb.lemma_ == "be" and any(
        c.dep_ in ("acomp", "advmod", "attr")
        and c.lower_ in {"happy", "glad", "here", "there", "around", "available", "ready"}
        for c in verb.children
    ):
        return True
    # "we can align your dates", "we could move your drop": an offer to act for them
    if any(c.dep_ == "aux" and c.lower_ in _OFFER_MODALS for c in verb.children):
        return True
    last = subject.sent[-1] if subject.sent[-1].is_space is False else subject.sent[-2]
    return last.text == "?" or any(c.dep_ == "aux" and c.i < subject.i for c in verb.children)


@metric(
    "reader_references",
    needs={"parse"},
    summary=(
        "How often the seller's text refers to the reader's own things or actions: "
        "'your' + a noun (your team, your renewal), 'you' as the subject of a verb, "
        "'yours' wherever it stands (teams like yours), and a merge field as a subject or "
        "owner ({{company}} opened a warehouse), and thanks or congratulations for "
        "something the reader did (thanks for letting me know, congratulations on the new "
        "store). In a call, each question the seller asks counts too: it is put to the "
        "customer. Does not apply to a rep's own notes about a call ('Call notes: ...'), "
        "which speak of the customer as 'they'."
    ),
    possessives=["your", "ur"],
    subjects=["you", "u"],
    pronouns=["yours"],
    thanks=["thanks", "thank", "thx", "congratulations", "congrats"],
)
def _reader_references(doc: Doc, params: dict[str, Any]) -> MetricValue:
    strings = doc.vocab.strings
    possessives = {strings.add(w.lower()) for w in params["possessives"]}
    subjects = {strings.add(w.lower()) for w in params["subjects"]}
    # "yours" is never a `poss` child: it stands for the reader's thing as a noun would
    pronouns = {strings.add(w.lower()) for w in params.get("pronouns", ())}
    thanks = {strings.add(w.lower()) for w in params.get("thanks", ())}
    poss, nsubj, nsubjpass = strings["poss"], strings["nsubj"], strings["nsubjpass"]
    layout = layout_of(doc)
    if layout.notes:  # written about the customer, not to them
        return MetricValue(None)
    count = 0
    # Read the columns once instead of building a Token per word: this runs on every message.
    columns = doc.to_array(["LOWER", "DEP"]).tolist() if len(doc) else []
    for i, (lower, dep) in enumerate(columns):
        if (
            (lower in possessives and dep == poss)
            or (lower in subjects and dep in (nsubj, nsubjpass))
            or lower in pronouns
            # a template's {{company}} doing or owning something is the reader's company
            or (dep in (nsubj, nsubjpass, poss) and is_stand_in(doc[i].text))
            or (lower in thanks and _thanks_for_an_act(doc[i]))
        ):
            count += layout.by_seller(doc[i].idx)
    if layout.is_call:  # "What prompted the search?" asked on a call is asked of them
        count += _seller_questions(doc)
    start, end = _first_sentence(doc)
    return MetricValue(float(count), [(start, end)])


def _thanks_for_an_act(thanks: Token) -> bool:
    """ "Thanks for letting me know", "thank you for the tour of the depot",
    "congratulations on opening the store": what is thanked or celebrated is something
    the reader did, though no "you" is its subject."""
    return any(
        prep.lower_ in ("for", "on") and any(c.dep_ in ("pcomp", "pobj") for c in prep.children)
        for prep in thanks.children
    )


_BULLET = re.compile(r"^[ \t]*(?:[-*•·▪◦–]|\d{1,2}[.)])[ \t]+\S")
_ANY_BULLET = re.compile(_BULLET.pattern, re.MULTILINE)


@metric(
    "capability_list_run",
    needs=set(),
    summary=(
        "Length of the longest run of consecutive bullet lines that name no customer "
        "outcome (none of `outcome_words`). A bullet that is a full sentence (`prose_words` "
        "words or more, ending in a full stop) and names no seller (none of "
        "`seller_words`) is advice or description, not a capability, and breaks the run."
    ),
    prose_words=10,
    seller_words=["we", "our", "ours", "us"],
    outcome_words=[
        "you", "your", "yours", "save", "saves", "saving", "cut", "cuts", "reduce", "reduces",
        "fewer", "less", "faster", "increase", "increases", "grow", "improve", "improves",
        "avoid", "lower", "lowers", "so", "means", "without",
        # advice rather than a capability ("... usually lifts opens by a few points")
        "lift", "lifts", "help", "helps", "hurt", "hurts", "prevent", "prevents",
    ],
)  # fmt: skip
def _capability_list_run(doc: Doc, params: dict[str, Any]) -> MetricValue:
    if not _ANY_BULLET.search(text_of(doc)):
        return MetricValue(0.0)
    outcome = {w.lower() for w in params["outcome_words"]}
    seller = {w.lower() for w in params.get("seller_words", ())}
    prose = int(params.get("prose_words", 0)) or None
    best: tuple[int, int, int] = (0, 0, 0)  # length, start char, end char
    run_len, run_start = 0, 0
    offset = 0
    layout = layout_of(doc)
    for line in text_of(doc).splitlines(keepends=True):
        tokens = re.findall(r"[a-z0-9'$%]+", line.lower())
        words = set(tokens)
        mine = layout.by_seller(offset + len(line) - len(line.lstrip()))
        # ("One named approver on the client side, agreed at kickoff, so ...": prose)
        sentence = (
            prose is not None
            and len(tokens) >= prose
            and line.rstrip().endswith((".", "!", "?"))
            and not words & seller
        )
        if mine and _BULLET.match(line) and not words & outcome and not sentence:
            if run_len == 0:
                run_start = offset + len(line) - len(line.lstrip())
            run_len += 1
            if run_len > best[0]:
                best = (run_len, run_start, offset + len(line.rstrip()))
        else:
            run_len = 0
        offset += len(line)
    if not best[0]:
        return MetricValue(0.0)
    span = doc.char_span(best[1], best[2], alignment_mode="expand")
    return MetricValue(float(best[0]), [(span.start, span.end)] if span is not None else [])


@metric(
    "customer_questions",
    needs={"sents"},
    summary=(
        "Questions about the customer's situation: sentences ending in '?' that address "
        "the reader and are not a meeting ask or a nag (none of `exclude_words`; "
        "`soft_exclude_words` only when no `process_words` is there: 'When will you "
        "decide?' is a nag, 'What would you need to see to decide?' asks about their process)."
    ),
    customer_words=["you", "your", "yours", "you're", "you've", "you'd"],
    exclude_words=[
        "minutes", "call", "demo", "chat", "meeting", "meet", "calendar", "slot", "free",
        "available", "open", "interested", "email", "emails", "message", "receive",
        "sign", "contract", "time", "confirm", "forward", "proceed",
        "thoughts", "update", "ready", "commit", "approve", "proposal", "quote", "deal",
        "order", "pricing", "price", "discount", "offer", "talk", "connect", "hear", "respond",
        "reply", "back", "person", "still", "either",
    ],
    soft_exclude_words=["see", "decide", "decision"],
    process_words=["need", "needs", "else", "criteria", "process", "involved", "weigh", "weighs"],
)  # fmt: skip
def _customer_questions(doc: Doc, params: dict[str, Any]) -> MetricValue:
    if "?" not in text_of(doc):
        return MetricValue(0.0)
    customer = {w.lower() for w in params["customer_words"]}
    exclude = {w.lower() for w in params["exclude_words"]}
    soft = {w.lower() for w in params.get("soft_exclude_words", ())}
    process = {w.lower() for w in params.get("process_words", ())}
    found: list[tuple[int, int]] = []
    layout = layout_of(doc)
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        if not words or words[-1].text != "?" or not layout.by_seller(words[-1].idx):
            continue
        lowered = {t.lower_ for t in words}
        if not lowered & customer or lowered & exclude:
            continue
        if not lowered & soft or lowered & process:
            found.append((sent.start, sent.end))
    return MetricValue(float(len(found)), found)


def _token_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def _spoken(doc: Doc) -> tuple[int, int] | None:
    """Words said by the seller and by everyone, or None when the text is no call."""
    layout = layout_of(doc)
    if not layout.is_call:
        return None
    seller = sum(words_in(text_of(doc), t.text_start, t.end) for t in layout.turns if t.seller)
    total = sum(words_in(text_of(doc), t.text_start, t.end) for t in layout.turns)
    return seller, total


@metric(
    "rep_talk_share",
    needs=set(),
    unit="share",
    summary=(
        "In call notes, the seller's share of all words spoken. Call research links a rep "
        "talk share above about 65% with lost deals. Not applicable to emails."
    ),
    min_words=60,
)
def _rep_talk_share(doc: Doc, params: dict[str, Any]) -> MetricValue:
    spoken = _spoken(doc)
    if spoken is None or spoken[1] < int(params["min_words"]) or not spoken[1]:
        return MetricValue(None)
    first = next(t for t in layout_of(doc).turns if t.seller)
    evidence = _token_span(doc, first.text_start, first.end)
    return MetricValue(spoken[0] / spoken[1], [evidence] if evidence else [])


@metric(
    "rep_questions",
    needs=set(),
    summary=(
        "In call notes, how many questions the seller asked (sentences ending in '?'). "
        "Not applicable to emails or to calls where the seller said less than `min_words`."
    ),
    min_words=25,
)
def _rep_questions(doc: Doc, params: dict[str, Any]) -> MetricValue:
    spoken = _spoken(doc)
    if spoken is None or spoken[0] < int(params["min_words"]):
        return MetricValue(None)
    first = next(t for t in layout_of(doc).turns if t.seller)
    evidence = _token_span(doc, first.text_start, first.end)
    return MetricValue(float(_seller_questions(doc)), [evidence] if evidence else [])


def _seller_questions(doc: Doc) -> int:
    """Question marks in the seller's turns of a call: shared by the discovery measure
    (PL862) and the reader-absent one (PL152), so both count a question the same way."""
    text = text_of(doc)
    return sum(text[t.text_start : t.end].count("?") for t in layout_of(doc).turns if t.seller)


@metric(
    "rep_longest_monologue",
    needs=set(),
    summary=(
        "In call notes, the most words the seller said without the other side speaking "
        "(consecutive seller turns count as one)."
    ),
)
def _rep_longest_monologue(doc: Doc, params: dict[str, Any]) -> MetricValue:
    layout = layout_of(doc)
    if not layout.is_call:
        return MetricValue(None)
    runs = [(words_in(text_of(doc), s, e), s, e) for s, e in layout.seller_runs()]
    if not runs:
        return MetricValue(0.0)
    words, start, end = max(runs)
    evidence = _token_span(doc, start, end)
    return MetricValue(float(words), [evidence] if evidence else [])


class MetricCheck:
    def __init__(self, nlp: Language, rules: Sequence[LoadedRule]) -> None:
        self._rules = list(rules)

    def __call__(self, doc: Doc, words: DocWords | None = None) -> Iterator[Hit]:
        words = None
        for rule in self._rules:
            spec: Any = rule.spec
            if spec.min_words:
                words = word_count(doc) if words is None else words
                if words < spec.min_words:
                    continue
            definition = METRICS[spec.metric]
            result = definition.func(doc, {**definition.params, **spec.params})
            if result.value is None:
                continue
            fires = (spec.above is not None and result.value > spec.above) or (
                spec.below is not None and result.value < spec.below
            )
            if not fires:
                continue
            # A flag reports where it starts; a signal reports every piece of evidence, so
            # that sentence-level conditions can see each one.
            spans = result.evidence or [_first_sentence(doc)]
            for start, end in spans if spec.is_signal else spans[:1]:
                yield Hit(rule, start, end, value=result.value)

    def trace(self, doc: Doc) -> Iterator[Trace]:
        for rule in self._rules:
            spec: Any = rule.spec
            definition = METRICS[spec.metric]
            result = definition.func(doc, {**definition.params, **spec.params})
            hits = [h for h in self(doc) if h.rule is rule]
            yield Trace(rule, None, True, tuple((h.start, h.end) for h in hits), result.value)


def _first_sentence(doc: Doc) -> tuple[int, int]:
    """The first sentence with words in it (masked markup leaves blank ones)."""
    for sent in doc.sents:
        words = [t.i for t in sent if not t.is_space]
        if words:
            return words[0], words[-1] + 1
    return 0, len(doc)
