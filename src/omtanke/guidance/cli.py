"""``omtanke ask`` and ``omtanke compare``: the guidelines' advice from the command line.

Wired into ``omtanke`` by :func:`add_parsers` (see ``_EXTENSIONS`` in ``omtanke/cli.py``).
Only the standard library is imported here at module level, so ``omtanke --help`` stays fast.
Handlers return 0 (done; "not covered" and "silent" are answers too) or 2 (usage error).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .guide import Guide
    from .model import Answer, Comparison, Passage

__all__ = ["add_parsers"]

EXIT_OK, EXIT_USAGE = 0, 2

_ASK_EPILOG = """\
Eksempler:
  omtanke ask "må jeg være ven med forældrene på Facebook?"
  omtanke ask --kommune vejle "hvor tit skal jeg skifte kodeord"
  omtanke ask --format json "må jeg tjekke fb i arbejdstiden?"

Svaret er de mest relevante passager fra retningslinjerne og loven, ordret citeret, med
afsnit og de regler, der håndhæver afsnittet. Dækker retningslinjerne ikke spørgsmålet,
siger Omtanke det. Exitkoder: 0 svar (også "ikke dækket"), 2 brugsfejl.
"""

_COMPARE_EPILOG = """\
Eksempler:
  omtanke compare --list
  omtanke compare billeder
  omtanke compare kodeord --format json

For hver kommune: hvad retningslinjen siger om emnet, ordret citeret – eller at den intet
siger om det. Exitkoder: 0 svar, 2 brugsfejl (fx et ukendt emne).
"""

_TEXTS: dict[str, dict[str, str]] = {
    "question": {"da": "Spørgsmål", "en": "Question"},
    "searched": {"da": "Søgte efter", "en": "Searched for"},
    "corrected": {"da": "rettet fra", "en": "corrected from"},
    "part_of": {"da": "del af", "en": "part of"},
    "not_found": {"da": "findes ikke i retningslinjerne", "en": "not in the guidelines"},
    "municipality": {"da": "Kommune", "en": "Municipality"},
    "all": {"da": "alle kommuner og loven", "en": "all municipalities and the law"},
    "and_law": {"da": "og loven", "en": "and the law"},
    "enforced": {"da": "håndhæves af", "en": "enforced by"},
    "advice_only": {"da": "kun råd, ingen regel", "en": "advice only, no rule"},
    "relevance": {"da": "relevans", "en": "relevance"},
    "section": {"da": "afsnit", "en": "section"},
    "not_covered": {
        "da": "Retningslinjerne dækker ikke spørgsmålet: ingen passage i dem handler om det.",
        "en": "The guidelines do not cover the question: no passage in them is about it.",
    },
    "not_covered_hint": {
        "da": "Spørg din nærmeste leder, prøv med andre ord, eller se emnerne med "
        "'omtanke compare --list'.",
        "en": "Ask your manager, try other words, or see the topics with 'omtanke compare --list'.",
    },
    "topic": {"da": "Emne", "en": "Topic"},
    "topics": {"da": "Emner", "en": "Topics"},
    "silent": {"da": "siger intet om det", "en": "says nothing about it"},
    "law": {"da": "Loven", "en": "The law"},
    "usage_compare": {
        "da": "Angiv et emne, fx 'omtanke compare billeder', eller se emnerne med --list.",
        "en": "Give a topic, e.g. 'omtanke compare billeder', or list them with --list.",
    },
    "usage_ask": {
        "da": 'Skriv et spørgsmål, fx omtanke ask "må jeg være ven med forældrene på Facebook?".',
        "en": 'Write a question, e.g. omtanke ask "må jeg være ven med forældrene på Facebook?".',
    },
    "list_hint": {
        "da": "Sammenlign med: omtanke compare EMNE",
        "en": "Compare with: omtanke compare TOPIC",
    },
}


def _lang(args: argparse.Namespace) -> str:
    value = getattr(args, "lang", None) or os.environ.get("OMTANKE_LANG", "da")
    return "en" if str(value).lower().startswith("en") else "da"


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``ask`` and ``compare`` to the ``omtanke`` sub-commands."""
    del parser_class  # the sub-commands have no sub-commands of their own
    a = sub.add_parser(
        "ask",
        help="spørg retningslinjerne (fx om venskaber, billeder, kodeord)",
        description="Find de passager i retningslinjerne og loven, der svarer på et spørgsmål.",
        epilog=_ASK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument(
        "question",
        nargs="*",
        metavar="SPØRGSMÅL",
        help="spørgsmålet (i anførselstegn eller som flere ord), eller '-' for standard input",
    )
    a.add_argument(
        "--municipality",
        "--kommune",
        dest="municipality",
        metavar="KOMMUNE",
        default=os.environ.get("OMTANKE_KOMMUNE"),
        help="søg kun i denne kommunes retningslinje (og loven): aabenraa, soenderborg, vejle, "
        "hjoerring",
    )
    a.add_argument(
        "-n",
        "--limit",
        type=int,
        default=5,
        metavar="N",
        help="højst så mange passager (1-20, standard 5)",
    )
    a.add_argument("--format", choices=["text", "json"], default="text", help="uddataformat")
    a.set_defaults(handler=_cmd_ask)

    c = sub.add_parser(
        "compare",
        help="sammenlign kommunernes retningslinjer om et emne",
        description="Vis side om side, hvad hver kommunes retningslinje siger om et emne.",
        epilog=_COMPARE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("topic", nargs="*", metavar="EMNE", help="emnet, fx billeder eller kodeord")
    c.add_argument("--list", action="store_true", help="vis de kendte emner")
    c.add_argument("--format", choices=["text", "json"], default="text", help="uddataformat")
    c.set_defaults(handler=_cmd_compare)


def _guide(args: argparse.Namespace) -> Guide:
    from pathlib import Path

    from ..packs.loader import PackLoader
    from .guide import Guide

    return Guide(PackLoader([Path(p) for p in getattr(args, "pack", None) or []]))


def _dump(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cmd_ask(args: argparse.Namespace) -> int:
    lang = _lang(args)
    words: list[str] = list(args.question or [])
    if words == ["-"]:
        try:
            question = sys.stdin.read()
        except UnicodeDecodeError:
            print("fejl: standard input er ikke gyldig UTF-8-tekst.", file=sys.stderr)
            return EXIT_USAGE
    else:
        question = " ".join(words)
    if not question.strip():
        print(f"fejl: {_TEXTS['usage_ask'][lang]}", file=sys.stderr)
        return EXIT_USAGE
    answer = _guide(args).ask(question, args.municipality, limit=args.limit)
    if args.format == "json":
        _dump(answer.to_dict())
    else:
        print(render_answer(answer, lang, _width(), _colour()))
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    lang = _lang(args)
    guide = _guide(args)
    if args.list:
        topics = guide.topics()
        if args.format == "json":
            _dump([t.to_dict() for t in topics])
        else:
            print(f"{_TEXTS['topics'][lang]}:")
            width = max(len(t.id) for t in topics)
            for t in topics:
                print(f"  {t.id:<{width}}  {t.label}")
            print(f"\n{_TEXTS['list_hint'][lang]}")
        return EXIT_OK
    topic = " ".join(args.topic or [])
    if not topic.strip():
        print(f"fejl: {_TEXTS['usage_compare'][lang]}", file=sys.stderr)
        return EXIT_USAGE
    comparison = guide.compare(topic)
    if args.format == "json":
        _dump(comparison.to_dict())
    else:
        print(render_comparison(comparison, lang, _width(), _colour()))
    return EXIT_OK


# -- rendering ---------------------------------------------------------------------------
def _width() -> int:
    return max(50, min(100, shutil.get_terminal_size((100, 24)).columns))


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _paint(code: str, text: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _quote_lines(quote: str, indent: str, width: int) -> list[str]:
    """The quote wrapped to ``width``, paragraph by paragraph, between »…«."""
    paragraphs = [" ".join(p.split()) for p in quote.split("\n") if p.strip()]
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        text = ("»" if i == 0 else "") + para + ("«" if i == len(paragraphs) - 1 else "")
        out.extend(
            textwrap.wrap(
                text,
                width=width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
        )
    return out


def _wrap(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def _passage_lines(p: Passage, lang: str, width: int, colour: bool, indent: str) -> list[str]:
    """The title line, the quote and the rules of a passage (the caller prints the header)."""
    t = _TEXTS
    lines: list[str] = []
    if p.section_title:
        lines.extend(_paint("1", line, colour) for line in _wrap(p.section_title, indent, width))
    lines.extend(_quote_lines(p.quote, indent, width))
    if p.rules:
        lines.extend(_wrap(f"{t['enforced'][lang]}: {', '.join(p.rules)}", indent, width))
    elif p.advice_only:
        lines.extend(_wrap(f"{t['advice_only'][lang]}: {p.advice_only}", indent, width))
    return lines


def _where(p: Passage, lang: str) -> str:
    """ "Vejle Kommune – Paddehatten · afsnit HUSK-1", or the law's paragraph."""
    if p.law:
        return f"{p.municipality_name} · {p.section}"
    return f"{p.municipality_name} · {_TEXTS['section'][lang]} {p.section}"


def render_answer(answer: Answer, lang: str = "da", width: int = 100, colour: bool = False) -> str:
    """The answer as friendly terminal text (Danish chrome by default)."""
    t = _TEXTS
    lines = [f"{t['question'][lang]}: {answer.question}"]
    if answer.municipality:
        name = answer.municipality_name or answer.municipality
        lines.append(f"{t['municipality'][lang]}: {name} {t['and_law'][lang]}")
    searched: list[str] = []
    for term in answer.terms:
        word = term.correction or term.word
        notes: list[str] = []
        if term.correction:
            notes.append(f"{t['corrected'][lang]} '{term.word}'")
        if term.compound_of:
            notes.append(f"{t['part_of'][lang]} '{term.compound_of}'")
        extra = [s for s in term.searched if s != word][:4]
        if extra:
            notes.append(", ".join(extra))
        if not term.found:
            notes.append(t["not_found"][lang])
        searched.append(word + (f" ({'; '.join(notes)})" if notes else ""))
    if searched:
        lines.extend(
            textwrap.wrap(
                f"{t['searched'][lang]}: " + ", ".join(searched),
                width=width,
                subsequent_indent="  ",
            )
        )
    lines.append("")
    if not answer.covered:
        lines.append(_paint("33", t["not_covered"][lang], colour))
        lines.append(t["not_covered_hint"][lang])
        return "\n".join(lines)
    for i, p in enumerate(answer.passages, 1):
        header = f"{i}. {_where(p, lang)} · {t['relevance'][lang]} {p.score:.2f}"
        lines.append(_paint("36", header, colour))
        lines.extend(_passage_lines(p, lang, width, colour, "   "))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_comparison(
    comparison: Comparison, lang: str = "da", width: int = 100, colour: bool = False
) -> str:
    """Each municipality's passages on the topic, one block each; silences said so."""
    t = _TEXTS
    lines = [_paint("1", f"{t['topic'][lang]}: {comparison.topic.label}", colour), ""]
    for position in comparison.municipalities:
        lines.append(_paint("1;4", position.name, colour))
        if position.silent:
            lines.append("   " + _paint("2", t["silent"][lang], colour))
        for p in position.passages:
            lines.append(_paint("36", f"   {t['section'][lang]} {p.section}", colour))
            lines.extend(_passage_lines(p, lang, width, colour, "   "))
        lines.append("")
    if comparison.law:
        lines.append(_paint("1;4", t["law"][lang], colour))
        for p in comparison.law:
            lines.append(_paint("36", f"   {p.section}", colour))
            lines.extend(_passage_lines(p, lang, width, colour, "   "))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
