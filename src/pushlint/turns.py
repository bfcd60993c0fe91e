"""Who wrote which part of a message: speaker turns in call notes, quoted lines in email.

pushlint judges only the seller's own words. In call notes with speaker prefixes
(`Rep:`, `Customer:`, `Dana:`) the customer's turns are not linted but feed the call
metrics; in any message, lines quoted with `>` are someone else's words. Pure text
analysis, no spaCy, so it is cheap and testable on its own.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

SELLER_LABELS = frozenset(
    {"rep", "seller", "ae", "sdr", "bdr", "sales", "salesperson", "me", "account executive",
     "sales rep", "agent", "csm", "am"}
)  # fmt: skip
BUYER_LABELS = frozenset(
    {"customer", "prospect", "buyer", "client", "lead", "them", "caller", "user"}
)
# Line labels in email and notes that are not speakers.
NOT_SPEAKERS = frozenset(
    {"subject", "from", "to", "cc", "bcc", "date", "sent", "re", "fw", "fwd", "note", "notes",
     "ps", "p.s", "p.s.", "agenda", "pricing", "timeline", "step", "example", "update", "action",
     "summary", "next steps", "question", "answer", "q", "a", "tl;dr", "tldr", "attendees",
     "when", "where", "why", "what", "how", "who", "goal", "goals", "result", "results",
     "outcome", "context", "problem", "impact", "ask", "edit", "phone", "email", "web",
     "mobile", "tel", "office", "http", "https", "warning", "important", "reminder"}
)  # fmt: skip
_TURN = re.compile(
    r"^[ \t]*"
    r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?[ \t]+)?"  # [00:01:23] Dana:
    r"(?P<speaker>[A-Za-z][\w.'\-]*(?:[ \t][A-Za-z][\w.'\-]*){0,2})"
    r"(?:[ \t]*\((?P<side>[^()\n:]{1,40})\))?"  # Dana (Acme):, Tom (Customer):
    r"[ \t]*:[ \t]+(?=\S)",
    re.MULTILINE,
)
_QUOTED = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
# A rep's own notes about a call open with a header ("Call notes:", "Meeting summary -",
# "Recap: ...", "Notes from the Acme demo:") and speak of the customer as "they".
_NOTES_HEADER = re.compile(
    r"\A[\s#*_>-]*(?:(?:call|meeting|discovery|demo|sales|intro|first|follow-up|followup)"
    r"[ \t]+)?(?:notes|summary|recap|debrief)\b"
    # what the notes are of: "from the Acme demo", ", Acme, 12 May", " (Acme call)"
    r"(?:[ \t]+(?:from|of|for|on)\b[^\n:]{0,60}|[ \t]*[,(][^\n:]{0,60})?"
    r"[ \t]*[:\-\u2013\u2014\n]",
    re.IGNORECASE,
)
_SIDE = re.compile(r"^(?P<name>.*?\S)[ \t]*\((?P<side>[^()\n]{1,40})\)[ \t]*$")
MIN_TURNS = 3

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Turn:
    speaker: str
    start: int  # where the label starts
    text_start: int  # where the spoken text starts (after "Name: ")
    end: int
    seller: bool


@dataclass(frozen=True)
class Layout:
    """The parts of a message and which of them the seller wrote (character ranges)."""

    turns: tuple[Turn, ...]
    seller: str | None
    seller_guessed: bool
    writer: tuple[tuple[int, int], ...]
    notes: bool = False  # a rep's notes about a call, not a message to the customer

    @property
    def is_call(self) -> bool:
        return bool(self.turns)

    def by_seller(self, offset: int) -> bool:
        """Whether the character at `offset` is the seller's own words."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self.writer[i][1]

    def overlaps_seller(self, start: int, end: int) -> bool:
        """Whether any of [start, end) is the seller's own words."""
        i = bisect.bisect_right(self._starts, max(start, end - 1)) - 1
        while i >= 0 and self.writer[i][1] > start:
            if self.writer[i][0] < end:
                return True
            i -= 1
        return False

    @cached_property
    def _starts(self) -> list[int]:
        return [start for start, _ in self.writer]

    def seller_runs(self) -> list[tuple[int, int]]:
        """Consecutive seller turns merged: (start of first label, end of last turn)."""
        runs: list[tuple[int, int]] = []
        previous_seller = False
        for turn in self.turns:
            if turn.seller and previous_seller:
                runs[-1] = (runs[-1][0], turn.end)
            elif turn.seller:
                runs.append((turn.text_start, turn.end))
            previous_seller = turn.seller
        return runs

    def note(self) -> str | None:
        if self.is_call and self.seller_guessed:
            return f"call notes: taking {self.seller!r} (the first speaker) as the seller"
        return None


def analyse(text: str, *, seller: str | None = None) -> Layout:
    """Find speaker turns (if the text is call notes) and the seller's own text."""
    turns, guessed = _turns(text, seller)
    if turns:
        seller_turns = [t for t in turns if t.seller]
        writer = [(t.text_start, t.end) for t in seller_turns]
        # what comes before the first label is the writer's: the email around a pasted
        # exchange ("Hi Dana, ... Here is what we discussed:"), or a notes header
        if text[: turns[0].start].strip():
            writer.insert(0, (0, turns[0].start))
        seller_name = seller_turns[0].speaker if seller_turns else seller
        return Layout(tuple(turns), seller_name, guessed, tuple(_minus_quotes(text, writer)))
    return Layout((), None, False, tuple(_minus_quotes(text, [(0, len(text))])), is_notes(text))


def is_notes(text: str) -> bool:
    """Whether the text opens with a notes header ("Call notes:", "Recap -"): a rep's own
    notes about a call, which speak of the customer rather than to them."""
    return _NOTES_HEADER.match(text) is not None


def is_call(text: str) -> bool:
    """Whether the text reads as call notes (speaker turns): what `analyse(text).is_call`
    says, without working out the seller's ranges."""
    return bool(_turns(text)[0])


def label_at(text: str) -> tuple[str, str | None, int] | None:
    """A speaker label opening `text` ("Sam:", "Sam (Rep):", "[00:01:23] Sam:"): the
    name, the side in brackets if any, and where the spoken words start; None if there
    is no label. For transcript cues, whose speakers are found cue by cue."""
    found = _TURN.match(text)
    if found is None or not found.group("speaker")[0].isupper():
        return None
    speaker = found.group("speaker")
    if speaker.lower() in NOT_SPEAKERS:
        return None
    return speaker, found.group("side"), found.end()


def split_side(voice: str) -> tuple[str, str | None]:
    """A transcript voice ("Sam (Rep)") as its name and the side in brackets, if any."""
    found = _SIDE.match(voice)
    return (found.group("name"), found.group("side")) if found else (voice, None)


def layout_from_turns(
    text: str, spans: list[tuple[str, str | None, int, int]], *, seller: str | None = None
) -> Layout:
    """A layout from turns a reader found itself (a transcript's cues): (speaker, side,
    start, end)."""
    if not spans:
        return Layout((), None, False, ((0, len(text)),))
    names = [name for name, _, _, _ in spans]
    roles = [_side_role(name, side) for name, side, _, _ in spans]
    chosen, guessed = _choose_seller(names, roles, seller)
    turns = tuple(
        Turn(name, a, a, b, is_seller)
        for (name, _, a, b), is_seller in zip(spans, chosen, strict=True)
    )
    writer = tuple((t.text_start, t.end) for t in turns if t.seller)
    name = next((t.speaker for t in turns if t.seller), seller)
    return Layout(turns, name, guessed, writer)


def _turns(text: str, seller: str | None = None) -> tuple[list[Turn], bool]:
    """The turns (none if the text is not call notes), and whether the seller was
    guessed: no `--seller` and no label saying who sells or buys."""
    if text.count(":") < MIN_TURNS:  # each label ends in a colon: most emails stop here
        return [], False
    labels = [m for m in _TURN.finditer(text) if m.group("speaker").lower() not in NOT_SPEAKERS]
    said = Counter(m.group("speaker").lower() for m in labels)
    # a conversation comes back to someone: "Seats: 40 / Setup: $500 / Support: 24/7" in
    # an email is a list of fields, not three people talking
    if len(labels) < MIN_TURNS or len(said) < 2 or max(said.values()) < 2:
        return [], False
    names = [m.group("speaker") for m in labels]
    roles = [_side_role(m.group("speaker"), m.group("side")) for m in labels]
    chosen, guessed = _choose_seller(names, roles, seller)
    turns = []
    for i, match in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        turns.append(Turn(names[i], match.start(), match.end(), end, chosen[i]))
    return turns, guessed


def _side_role(speaker: str, side: str | None) -> str:
    """Who a label says is talking: "Tom (Customer)" is the customer, "Dana (Acme)" is Dana."""
    side = (side or "").strip().lower()
    return side if side in SELLER_LABELS | BUYER_LABELS else speaker.lower()


def _choose_seller(
    names: list[str], roles: list[str], seller: str | None
) -> tuple[list[bool], bool]:
    """Which turns are the seller's, and whether that was guessed (no `--seller` and no
    label saying who sells or buys). `--seller` matches a name or a side."""
    if seller:
        wanted = seller.lower()
        return [wanted in (n.lower(), r) for n, r in zip(names, roles, strict=True)], False
    picked = _pick_seller(roles)
    guessed = not any(role in SELLER_LABELS | BUYER_LABELS for role in roles)
    return [role == picked for role in roles], guessed


def _pick_seller(speakers: list[str]) -> str:
    lowered = [s.lower() for s in speakers]
    for name in lowered:
        if name in SELLER_LABELS:
            return name
    buyers = {n for n in lowered if n in BUYER_LABELS}
    if buyers:
        return next(n for n in lowered if n not in buyers)
    return lowered[0]


def quoted_blocks(text: str) -> list[int]:
    """The 1-based line where each run of `>`-quoted lines starts."""
    starts: list[int] = []
    previous_end = -2
    for found in _QUOTED.finditer(text):
        if found.start() != previous_end + 1:  # not on the line right after the last one
            starts.append(text.count("\n", 0, found.start()) + 1)
        previous_end = found.end()
    return starts


def _minus_quotes(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut `>`-quoted lines out of the given ranges."""
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    result: list[tuple[int, int]] = []
    for start, end in ranges:
        cursor = start
        for q_start, q_end in quotes:
            if q_end <= cursor or q_start >= end:
                continue
            if q_start > cursor:
                result.append((cursor, q_start))
            cursor = max(cursor, q_end)
        if cursor < end:
            result.append((cursor, end))
    return result


def words_in(text: str, start: int, end: int) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", text[start:end]))


def layout_of(doc: Doc) -> Layout:
    """The doc's layout, computed once and kept in `doc.user_data`."""
    layout = doc.user_data.get(LAYOUT_KEY)
    if layout is None:
        layout = doc.user_data[LAYOUT_KEY] = analyse(text_of(doc))
    return layout


def text_of(doc: Doc) -> str:
    """`doc.text`, built once: spaCy joins every token's text on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


TEXT_KEY = "pushlint.text"


LAYOUT_KEY = "pushlint.layout"
