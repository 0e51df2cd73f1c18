"""Run every rule's own examples (LanguageTool's PatternRuleTest, for packs).

A bad example must make its rule fire with exactly the marked ``[[…]]`` spans; a good one
must not make it fire. Examples run through the whole detection step, so they also test the
detectors the rule relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text import Document
from .schema import Example, Pack, Rule

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = ["ExampleFailure", "run_rule_examples"]


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule: str
    file: str
    line: int
    kind: str  # "bad" or "good"
    expected: tuple[tuple[int, int], ...]
    found: tuple[tuple[int, int], ...]
    text: str

    def describe(self) -> str:
        def show(spans: tuple[tuple[int, int], ...]) -> str:
            return ", ".join(f"«{self.text[s:e]}» [{s}:{e}]" for s, e in spans) or "ingenting"

        if self.kind == "good":
            return (
                f"{self.file}:{self.line}: {self.rule}: good-eksemplet blev fanget "
                f"({show(self.found)})."
            )
        return (
            f"{self.file}:{self.line}: {self.rule}: bad-eksemplet skulle markere "
            f"{show(self.expected)}, men reglen fandt {show(self.found)}."
        )


def _run(engine: Engine, rule: Rule, ex: Example) -> tuple[tuple[int, int], ...]:
    channel = ex.channel or rule.first_channel()
    doc = Document(ex.text)
    if (
        rule.severity_for(
            channel, ex.role, "inbox" if "inbox" in rule.when.kinds else "post", ex.public_event
        )
        is None
    ):
        return ()
    detections = engine.detect(doc)
    if ex.image:  # the image's detections sit on the carrier's last characters
        from ..images.labels import example_detections

        detections = [*detections, *example_detections(ex.text, ex.image)]
    hits = engine.run_rule(rule, doc, detections)
    return tuple(sorted({(s, e) for s, e, _ in hits}))


def run_rule_examples(
    engine: Engine, pack: Pack, rules: list[str] | None = None
) -> tuple[int, list[ExampleFailure]]:
    """Run the examples of the pack's own rules (or of ``rules``). Returns (count, failures)."""
    failures: list[ExampleFailure] = []
    count = 0
    for rid in rules if rules is not None else list(pack.own_rules):
        rule = pack.rules[rid]
        for ex in rule.bad:
            count += 1
            found = _run(engine, rule, ex)
            if found != tuple(sorted(ex.spans)):
                failures.append(
                    ExampleFailure(rule.id, rule.file, ex.line, "bad", ex.spans, found, ex.text)
                )
        for ex in rule.good:
            count += 1
            found = _run(engine, rule, ex)
            if found:
                failures.append(
                    ExampleFailure(rule.id, rule.file, ex.line, "good", (), found, ex.text)
                )
    return count, failures
