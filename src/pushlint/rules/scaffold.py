"""`pushlint rules new`: a rule file with every field written out and explained."""

SCAFFOLD = """\
# yaml-language-server: $schema={schema}
# A pushlint rule pack. Check it with `pushlint rules validate {file}` and run its
# examples with `pushlint rules test {file}`.
pack:
  name: {pack}                      # kebab-case pack name
  description: What this pack flags.

rules:
  - id: {id}                          # stable id; never reuse one for a different rule
    name: {name}                  # kebab-case name; `explain`, `unless` and config accept it
    kind: phrase                      # phrase | pattern | dependency | metric | signal
    category: {category}               # groups rules in reports and in the score breakdown
    level: warning                    # info (advice, never scored) | warning | error
    weight: 10                        # points added to the 0-100 score (repeats halve)
    message: '"{{match}}" says what is wrong, in the customer''s terms.'
    why: >
      One short paragraph: why a buyer reads this as pushing the seller's agenda.
    rewrite:                          # at least one for every flagging rule
      - Plain advice shown next to the finding.
      - text: A rewrite that can replace the matched words as they stand.
        replacement: "the replacement"
        safe: false                   # true only if --fix may apply it without a human
    phrases:                          # kind: phrase -> a list of phrases
      - example phrase
    attr: LOWER                       # LOWER (default) | ORTH | NORM | LEMMA
    # patterns:                       # kind: pattern -> spaCy Matcher token patterns
    #   - - {{LOWER: just}}
    #     - {{LOWER: checking}}
    #     - {{LOWER: in}}
    # kind: dependency -> spaCy DependencyMatcher patterns (RIGHT_ID, RIGHT_ATTRS, ...)
    # kind: metric -> metric: NAME, above: N and/or below: N, min_words: N, params: {{...}}
    # kind: signal -> match: phrase | pattern | dependency | metric, plus that kind's fields
    # unless:                         # stand down when other rules match nearby
    #   any: [customer-outcome]       # rule ids, names or categories
    #   within: sentence              # overlap | sentence | adjacent | message
    # only_with:                      # weak evidence: report only beside another report
    #   any: [nagging, false-urgency]  # (same keys as unless)
    #   within: message
    examples:
      flag:                           # [[...]] marks the exact span the rule must report
        - "An [[example phrase]] in a sentence."
      pass:                           # near misses that must stay quiet
        - "A sentence that must not be flagged."
"""


def scaffold(*, file: str, pack: str, rule_id: str, name: str, category: str, schema: str) -> str:
    return SCAFFOLD.format(
        file=file, pack=pack, id=rule_id, name=name, category=category, schema=schema
    )
