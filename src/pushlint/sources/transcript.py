"""WebVTT and SRT transcripts: cue text stays in place, timing lines, cue numbers,
headers and voice tags are blanked, and each cue's speaker (a `<v Name>` tag or a
`Name:` prefix) becomes a turn. webvtt-py reads these formats well but gives no
character offsets, which are what map findings back to the file's lines."""

from __future__ import annotations

import re

from pushlint.sources.mask import blank
from pushlint.turns import Layout, label_at, layout_from_turns, split_side

_TIMING = re.compile(r"^\s*[\d:.,]+\s+-->\s+[\d:.,]+.*$", re.M)
_VOICE = re.compile(r"<v(?:\.[\w.]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-z][^>]*>", re.I)


def transcript(source: str, *, seller: str | None = None) -> tuple[str, Layout]:
    ranges: list[tuple[int, int]] = []
    turns: list[tuple[str, str | None, int, int]] = []
    offset = 0
    for block in re.split(r"(\n[ \t]*\n)", source):
        start = offset
        offset += len(block)
        if not block.strip() or block.strip().startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            ranges.append((start, offset))
            continue
        timing = _TIMING.search(block)
        if timing is None:
            ranges.append((start, offset))
            continue
        ranges.append((start, start + timing.end()))  # cue id and timing line
        text_start = start + timing.end()
        cue = block[timing.end() :]
        speaker: tuple[str, str | None] | None = None
        voice = _VOICE.search(cue)
        if voice:
            speaker = split_side(voice.group(1).strip())  # <v Sam (Rep)>
        for tag in _TAG.finditer(cue):
            ranges.append((text_start + tag.start(), text_start + tag.end()))
        label = label_at(cue.lstrip("\n"))
        if label and speaker is None:
            lead = len(cue) - len(cue.lstrip("\n"))
            name, side, words_start = label
            speaker = (name, side)
            ranges.append((text_start + lead, text_start + lead + words_start))
        name, side = speaker or ("Speaker", None)
        turns.append((name, side, text_start, offset))
    text = blank(source, ranges)
    return text, layout_from_turns(source, turns, seller=seller)
