"""The ``omtanke`` command: a thin layer over :class:`omtanke.engine.Engine`.

Exit codes: 0 the verdict is below ``--fail-on`` (or the command succeeded), 1 at or above
it (or pack tests failed), 2 a usage or input error. Errors are Danish, go to stderr, and
never contain the text being checked. Heavy modules are imported inside the commands so
that ``omtanke --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from .engine import Engine
    from .model import Level

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_EPILOG = """\
Eksempler:
  omtanke check --kommune vejle --kanal private_profile "Sikke en dag på stuen …"
  omtanke check -f opslag.txt --kommune hjoerring --kanal official_page --format json
  omtanke check --batch opslag.jsonl -o rapporter.jsonl
  omtanke rules list --kommune aabenraa
  omtanke rules explain vejle.tavshedspligt
  omtanke packs validate min-pakke/
  omtanke eval ../shared/eval/dev.jsonl

Exitkoder: 0 under tærsklen (--fail-on), 1 på eller over tærsklen, 2 brugs- eller inputfejl.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"fejl: {message}\n(se '{self.prog} --help')\n")


class _UsageError(Exception):
    pass


def _build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = _Parser(
        prog="omtanke",
        description="Tjek opslag på sociale medier mod din kommunes retningslinjer – lokalt.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"omtanke {__version__}")
    p.add_argument(
        "--lang", choices=["da", "en"], help="sprog for programmets tekster (standard: da)"
    )
    p.add_argument(
        "--pack",
        action="append",
        type=Path,
        default=[],
        metavar="STI",
        help="ekstra regelpakke (mappe), kan gentages",
    )
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)

    c = sub.add_parser(
        "check",
        help="tjek et opslag",
        description="Tjek et opslag før det offentliggøres.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("text", nargs="?", metavar="TEKST", help="teksten, eller '-' for standard input")
    c.add_argument("-f", "--file", type=Path, metavar="FIL", help="læs teksten fra en fil (UTF-8)")
    c.add_argument(
        "--batch",
        type=Path,
        metavar="IND.jsonl",
        help="JSON Lines med id, text og context; én rapport pr. linje",
    )
    c.add_argument(
        "-o", "--output", type=Path, metavar="UD.jsonl", help="skriv batch-rapporter hertil"
    )
    _context_args(c)
    c.add_argument("--format", choices=["text", "json"], default="text", help="uddataformat")
    c.add_argument(
        "--fail-on",
        default="warning",
        metavar="NIVEAU",
        help="exitkode 1 fra dette niveau: advice, warning (standard), stop eller never",
    )
    c.add_argument(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="største tekstlængde i tegn (standard 50.000)",
    )
    c.add_argument(
        "--image",
        "--billede",
        dest="images",
        action="append",
        type=Path,
        default=[],
        metavar="FIL",
        help="et billede (JPEG eller PNG), der skal med opslaget; kan gentages. "
        "Teksten kan da udelades",
    )
    c.add_argument(
        "--no-ocr",
        "--uden-ocr",
        dest="ocr",
        action="store_false",
        help="læs ikke tekst i billederne (hurtigere)",
    )

    tr = sub.add_parser(
        "triage",
        help="vurdér en besked fra en borger",
        description="Vurdér en kommentar eller besked fra en borger: kategorier, hvad du skal "
        "gøre, og et svarforslag.",
    )
    tr.add_argument(
        "text", nargs="?", metavar="TEKST", help="beskeden, eller '-' for standard input"
    )
    tr.add_argument(
        "-f", "--file", type=Path, metavar="FIL", help="læs beskeden fra en fil (UTF-8)"
    )
    tr.add_argument(
        "--batch", type=Path, metavar="IND.jsonl", help="JSON Lines med id, text og context"
    )
    tr.add_argument(
        "-o", "--output", type=Path, metavar="UD.jsonl", help="skriv batch-resultater hertil"
    )
    _context_args(tr, default_channel="official_page")
    tr.add_argument(
        "--modtaget",
        "--received",
        dest="received",
        metavar="TID",
        help="hvornår beskeden kom (ISO 8601, fx 2026-11-22T21:15); giver råd om fritid",
    )
    tr.add_argument("--format", choices=["text", "json"], default="text", help="uddataformat")
    tr.add_argument(
        "--fail-on",
        default="never",
        metavar="NIVEAU",
        help="exitkode 1 fra dette niveau (standard: never)",
    )
    tr.add_argument("--max-chars", type=int, default=None, metavar="N", help="største tekstlængde")
    tr.add_argument(
        "--register",
        action="store_true",
        help="registrér klager og eskaleringer (chikane, trusler, børn) i registret",
    )
    tr.add_argument(
        "--db",
        metavar="URL",
        help="registrets database (standard: $OMTANKE_REGISTER_URL eller en SQLite-fil)",
    )
    tr.add_argument(
        "--kilde",
        "--source",
        dest="source",
        metavar="LINK",
        help="link til kommentaren eller beskeden",
    )
    tr.add_argument("--actor", metavar="NAVN", help="hvem der registrerer (standard: brugernavnet)")

    from .register.cli import add_register_parser

    add_register_parser(sub)
    _add_extension_parsers(sub)

    r = sub.add_parser("rules", help="vis og forklar regler")
    rsub = r.add_subparsers(dest="rules_command", metavar="HANDLING", parser_class=_Parser)
    rl = rsub.add_parser("list", help="list reglerne")
    rl.add_argument("--municipality", "--kommune", dest="municipality", metavar="KOMMUNE")
    re_ = rsub.add_parser("explain", help="forklar en regel")
    re_.add_argument("rule_id", metavar="REGEL-ID")

    pk = sub.add_parser("packs", help="valider og test regelpakker")
    psub = pk.add_subparsers(dest="packs_command", metavar="HANDLING", parser_class=_Parser)
    pv = psub.add_parser("validate", help="valider en regelpakke")
    pv.add_argument("path", type=Path, metavar="STI")
    pt = psub.add_parser("test", help="kør en regelpakkes eksempler")
    pt.add_argument("path", type=Path, metavar="STI")
    psub.add_parser("list", help="list de kendte regelpakker")

    ev = sub.add_parser("eval", help="mål kvaliteten på et mærket korpus")
    ev.add_argument("corpus", type=Path, metavar="FIL.jsonl")
    ev.add_argument("--format", choices=["text", "json"], default="text")
    return p


# Commands that live beside their feature. Each module keeps its top level light (stdlib
# only) and has ``add_parsers(sub, parser_class)``, which adds its sub-commands and sets
# ``handler`` (a function ``Namespace -> int``) with ``set_defaults``.
_EXTENSIONS = ("omtanke.guidance.cli", "omtanke.images.cli", "omtanke.server.cli")


def _add_extension_parsers(sub: Any) -> None:
    import importlib

    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # feature still being built: not wired yet
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        module.add_parsers(sub, _Parser)


def _context_args(p: argparse.ArgumentParser, default_channel: str = "private_profile") -> None:
    p.add_argument(
        "--municipality",
        "--kommune",
        dest="municipality",
        metavar="KOMMUNE",
        default=os.environ.get("OMTANKE_KOMMUNE"),
        help="kommunens regelpakke: aabenraa, soenderborg, vejle, hjoerring",
    )
    p.add_argument(
        "--channel",
        "--kanal",
        dest="channel",
        default=default_channel,
        metavar="KANAL",
        help=f"private_profile, work_profile eller official_page (standard: {default_channel})",
    )
    p.add_argument(
        "--role",
        "--rolle",
        dest="role",
        metavar="ROLLE",
        help="paedagog, laerer, sagsbehandler, sosu, leder, kommunikation, folkevalgt, it, andet",
    )
    p.add_argument(
        "--public-event",
        action="store_true",
        help="opslaget er fra et offentligt kommunalt arrangement",
    )


def _engine(args: argparse.Namespace) -> Engine:
    from .engine import DEFAULT_MAX_CHARS, Engine

    max_chars = getattr(args, "max_chars", None) or DEFAULT_MAX_CHARS
    if max_chars <= 0:
        raise _UsageError("--max-chars skal være et positivt tal.")
    return Engine(args.pack, max_chars=max_chars)


def _decode(data: bytes, where: str) -> str:
    from .errors import EncodingError

    if b"\x00" in data:
        raise EncodingError(where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EncodingError(where) from None


def _read_text(args: argparse.Namespace) -> tuple[str, str]:
    """The text to check and a name for it (for ``file:line:col``)."""
    from .errors import InputError

    if args.file is not None:
        if args.text is not None:
            raise _UsageError("Angiv enten en tekst eller --file, ikke begge.")
        try:
            data = args.file.read_bytes()
        except FileNotFoundError:
            raise InputError(f"Filen '{args.file}' findes ikke.") from None
        except IsADirectoryError:
            raise InputError(f"'{args.file}' er en mappe, ikke en fil.") from None
        except OSError as exc:
            raise InputError(f"Filen '{args.file}' kan ikke læses ({exc.strerror}).") from None
        return _decode(data, f"Filen '{args.file}'"), str(args.file)
    if args.text == "-" or (args.text is None and not sys.stdin.isatty()):
        return _decode(sys.stdin.buffer.read(), "Standard input"), "stdin"
    if args.text is None:
        raise _UsageError("Angiv teksten, '-' for standard input, --file FIL eller --batch FIL.")
    return str(args.text), "tekst"


def _fail_level(value: str) -> Level | None:
    from .model import Level

    if value.lower() in ("never", "aldrig"):
        return None
    aliases = {"råd": "advice", "raad": "advice", "advarsel": "warning"}
    try:
        return Level.parse(aliases.get(value.lower(), value))
    except ValueError:
        raise _UsageError(
            f"Ukendt niveau '{value}' for --fail-on. Brug advice, warning, stop eller never."
        ) from None


def _require_municipality(args: argparse.Namespace) -> str:
    if not args.municipality:
        raise _UsageError("Angiv kommune med --kommune (fx --kommune vejle).")
    return str(args.municipality)


def _cmd_check(args: argparse.Namespace) -> int:
    fail_on = _fail_level(args.fail_on)
    if args.batch is not None:
        if args.text is not None or args.file is not None:
            raise _UsageError("--batch kan ikke kombineres med en tekst eller --file.")
        if args.images:
            raise _UsageError("--image kan ikke kombineres med --batch.")
        return _cmd_batch(args, fail_on)
    if args.output is not None:
        raise _UsageError("-o/--output bruges kun med --batch.")
    municipality = _require_municipality(args)
    engine = _engine(args)
    context = engine.make_context(municipality, args.channel, args.role, args.public_event)
    images: list[Any] = []
    if args.images:
        from .images import ImageInput
        from .images.cli import read_image_file

        images = [ImageInput(read_image_file(p), p.name) for p in args.images]
    if images and args.text is None and args.file is None:
        text, name = "", "tekst"  # only photos: standard input is not read
    else:
        text, name = _read_text(args)
    report = engine.check(text, context, images=images, ocr=args.ocr)
    if args.format == "json":
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .formatters.terminal import render_report, use_colour

        print(
            render_report(
                text,
                report,
                colour=use_colour(sys.stdout.isatty()),
                source_name=name,
                policy_name=engine.pack(context.municipality).name,
            )
        )
    return EXIT_FINDINGS if fail_on is not None and report.verdict >= fail_on else EXIT_OK


def _cmd_batch(args: argparse.Namespace, fail_on: Level | None, triage: bool = False) -> int:
    from .errors import OmtankeError

    engine = _engine(args)
    try:
        infile = args.batch.open("rb")
    except OSError as exc:
        raise _UsageError(f"Batchfilen '{args.batch}' kan ikke åbnes ({exc.strerror}).") from None
    out: IO[str]
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    show_progress = sys.stderr.isatty()
    bad_lines = worst = 0
    checked = 0
    try:
        with infile:
            for n, raw in enumerate(infile, start=1):
                if not raw.strip():
                    continue
                item_id: Any = None
                try:
                    try:
                        obj = json.loads(_decode(raw, f"Linje {n}"))
                    except json.JSONDecodeError:
                        raise _UsageError("linjen er ikke gyldig JSON.") from None
                    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                        raise _UsageError(
                            "linjen skal være et objekt med 'id', 'text' og 'context'."
                        )
                    item_id = obj.get("id", n)
                    ctx = obj.get("context") or {}
                    if not isinstance(ctx, dict):
                        raise _UsageError("'context' skal være et objekt.")
                    municipality = ctx.get("municipality") or args.municipality
                    if not municipality:
                        raise _UsageError("kommune mangler (context.municipality eller --kommune).")
                    context = engine.make_context(
                        str(municipality),
                        str(ctx.get("channel") or args.channel),
                        ctx.get("role") or args.role,
                        bool(ctx.get("public_event", args.public_event)),
                        "inbox" if triage else str(obj.get("kind") or "post"),
                    )
                    report: Any = (
                        engine.triage(obj["text"], context)
                        if triage
                        else engine.check(obj["text"], context)
                    )
                except (OmtankeError, _UsageError) as exc:
                    bad_lines += 1
                    print(f"{args.batch}:{n}: fejl: {exc}", file=sys.stderr)
                    out.write(
                        json.dumps(
                            {
                                "id": item_id,
                                "line": n,
                                "error": {"code": "input", "message": str(exc)},
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    continue
                checked += 1
                if fail_on is not None and report.verdict >= fail_on:
                    worst = 1
                out.write(
                    json.dumps({"id": item_id, **report.to_dict()}, ensure_ascii=False) + "\n"
                )
                if show_progress and checked % 500 == 0:
                    print(f"\r{checked} tjekket …", end="", file=sys.stderr, flush=True)
    finally:
        if args.output:
            out.close()
    if show_progress and checked >= 500:
        print(file=sys.stderr)
    print(f"{checked} tekster tjekket, {bad_lines} linjer med fejl.", file=sys.stderr)
    if bad_lines:
        return EXIT_USAGE
    return EXIT_FINDINGS if worst else EXIT_OK


def _received(value: str | None) -> Any:
    from datetime import datetime

    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _UsageError(f"'{value}' er ikke et tidspunkt; brug fx 2026-11-22T21:15.") from None


def _cmd_triage(args: argparse.Namespace) -> int:
    from .model import CheckContext

    fail_on = _fail_level(args.fail_on)
    engine = _engine(args)
    received = _received(args.received)
    if args.batch is not None:
        if args.text is not None or args.file is not None:
            raise _UsageError("--batch kan ikke kombineres med en tekst eller --file.")
        return _cmd_batch(args, fail_on, triage=True)
    municipality = _require_municipality(args)
    ctx = engine.make_context(municipality, args.channel, args.role, kind="inbox")
    context = CheckContext(ctx.municipality, ctx.channel, ctx.role, False, "inbox", received)
    text, _name = _read_text(args)
    report = engine.triage(text, context)
    registered = _register_triaged(args, text, report, context) if args.register else []
    if args.format == "json":
        data = report.to_dict()
        if args.register:
            data["register"] = registered
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .formatters.terminal import render_triage, use_colour

        print(render_triage(report, colour=use_colour(sys.stdout.isatty())))
        if args.register:
            if not registered:
                print("\nIntet at registrere (ingen klage eller eskalering).")
            for row in registered:
                what = "Klage" if row["type"] == "complaint" else f"Eskalering ({row['kind']})"
                note = " – var allerede registreret" if row.get("duplicate") else ""
                deadline = f", frist {row['deadline']}" if row.get("deadline") else ""
                print(f"\n{what} registreret: {row['reference']}{deadline}{note}")
    return EXIT_FINDINGS if fail_on is not None and report.verdict >= fail_on else EXIT_OK


def _register_triaged(
    args: argparse.Namespace, text: str, report: Any, context: Any
) -> list[dict[str, Any]]:
    """Register a triaged message (see :func:`omtanke.register.intake.register_triaged`)."""
    from .register import Register
    from .register.intake import register_triaged, wants_register

    if not wants_register(report.categories):
        return []
    with Register(args.db) as reg:
        return register_triaged(
            reg, text, report, context, source_url=args.source or None, actor=args.actor
        )


def _cmd_register(args: argparse.Namespace) -> int:
    from .register.cli import run_register_command

    return run_register_command(args)


def _cmd_rules(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.rules_command == "explain":
        return _explain(engine, args.rule_id)
    if args.rules_command != "list":
        raise _UsageError("Brug 'omtanke rules list' eller 'omtanke rules explain REGEL-ID'.")
    ids = (
        [engine.resolve_municipality(args.municipality)]
        if args.municipality
        else list(engine.municipalities())
    )
    for pid in ids:
        pack = engine.pack(pid)
        print(f"{pack.name} ({pack.id} {pack.version}) – {len(pack.rules)} regler")
        for rule in pack.rules.values():
            sev = " ".join(
                f"{ch.split('_')[0][:4]}={(lv.id if lv is not None else 'off')}"
                for ch, lv in rule.severity.items()
            )
            print(f"  {rule.id:<34} {rule.category:<17} {rule.kind:<11} {sev}  {rule.name}")
        print()
    return EXIT_OK


def _find_rule(engine: Engine, rule_id: str) -> Any:
    for pid in [*engine.municipalities(), "base"]:
        pack = engine.pack(pid)
        if rule_id in pack.rules:
            return pack, pack.rules[rule_id]
    return None


def _explain(engine: Engine, rule_id: str) -> int:
    from .i18n import t

    found = _find_rule(engine, rule_id)
    if found is None:
        import difflib

        every = sorted({rid for pid in engine.municipalities() for rid in engine.pack(pid).rules})
        close = difflib.get_close_matches(rule_id, every, n=3)
        hint = f" Mente du: {', '.join(close)}?" if close else " Se 'omtanke rules list'."
        raise _UsageError(f"Ukendt regel '{rule_id}'.{hint}")
    _pack, rule = found
    from .packs.schema import Matcher

    def what() -> str:
        parts = [rule.description] if rule.description else []
        parts.append(f"Slags: {rule.kind} ({rule.match.describe()})")
        if rule.near:
            parts.append(
                "Kun når der i nærheden også er: " + "; ".join(m.describe() for m in rule.near)
            )
        if rule.unless:
            parts.append("Ikke når der er: " + "; ".join(m.describe() for m in rule.unless))
        return "\n  ".join(parts)

    del Matcher
    print(f"{rule.id} – {rule.name}")
    print(f"Kategori: {rule.category}")
    print(
        f"{t('severity')}: "
        + ", ".join(
            f"{ch}: {(lv.id if lv is not None else 'off')}" for ch, lv in rule.severity.items()
        )
    )
    print()
    print(f"## {t('what')}\n  {rule.message}\n  {what()}")
    print(f"\n## {t('why')}\n  {rule.why or rule.message}")
    if rule.bad:
        ex = rule.bad[0]
        marked = ex.text
        for s, e in sorted(ex.spans, reverse=True):
            marked = marked[:s] + "[[" + marked[s:e] + "]]" + marked[e:]
        print(f"\n## {t('example')}\n  {marked}")
    instead = rule.instead or (rule.good[0].text if rule.good else "")
    print(f"\n## {t('instead')}\n  {instead}\n  {rule.advice}")
    print(f"\n## {t('citation')}")
    for c in rule.citations:
        print(f"  {c.source} {c.section}: »{c.quote}«")
    return EXIT_OK


def _cmd_packs(args: argparse.Namespace) -> int:
    from .errors import PackValidationError
    from .packs.testing import run_rule_examples

    engine = _engine(args)
    if args.packs_command == "list":
        for pid, folder in sorted(engine.loader.available().items()):
            print(f"{pid:<14} {folder}")
        return EXIT_OK
    if args.packs_command not in ("validate", "test"):
        raise _UsageError("Brug 'omtanke packs validate STI' eller 'omtanke packs test STI'.")
    path: Path = args.path
    if not (path / "pack.yml").is_file():
        raise _UsageError(f"'{path}' er ikke en regelpakke (mappen skal indeholde pack.yml).")
    engine.loader.add_path(path.parent)
    try:
        pack = engine.loader.load_path(path)
    except PackValidationError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        print(f"{len(exc.problems)} fejl i regelpakken.", file=sys.stderr)
        return EXIT_USAGE
    if args.packs_command == "validate":
        print(
            f"OK: {pack.name} ({pack.id} {pack.version}): {len(pack.own_rules)} egne regler, "
            f"{len(pack.rules)} i alt, {len(pack.sections)} afsnit."
        )
        return EXIT_OK
    count, failures = run_rule_examples(engine, pack)
    for failure in failures:
        print(failure.describe())
    print(f"{count} eksempler, {len(failures)} fejlede ({pack.id}).")
    return EXIT_FINDINGS if failures else EXIT_OK


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import EvalItem, evaluate, format_result, read_corpus

    engine = _engine(args)
    if not args.corpus.is_file():
        raise _UsageError(f"Korpusfilen '{args.corpus}' findes ikke.")

    def run(item: EvalItem) -> Any:
        ctx = item.context
        context = engine.make_context(
            str(ctx.get("municipality")),
            str(ctx.get("channel") or "private_profile"),
            ctx.get("role"),
            bool(ctx.get("public_event", False)),
            item.kind,
        )
        if item.kind == "inbox":
            triaged = engine.triage(item.text, context)
            return triaged, frozenset(triaged.categories)
        report = engine.check(item.text, context)
        return report, frozenset(report.categories)

    result = evaluate(read_corpus(args.corpus), run)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_result(result))
    return EXIT_OK if not result.errors else EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        from .i18n import set_language

        set_language(args.lang)
    handlers = {
        "check": _cmd_check,
        "triage": _cmd_triage,
        "register": _cmd_register,
        "rules": _cmd_rules,
        "packs": _cmd_packs,
        "eval": _cmd_eval,
    }
    extension = getattr(args, "handler", None)
    if extension is not None:
        handlers[args.command] = extension
    if args.command not in handlers:
        parser.print_help()
        return EXIT_USAGE
    from .errors import OmtankeError

    try:
        return handlers[args.command](args)
    except _UsageError as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OmtankeError as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("afbrudt.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("OMTANKE_DEBUG"):
            raise
        print(
            f"fejl: uventet intern fejl ({type(exc).__name__}). Kør igen med OMTANKE_DEBUG=1 "
            "for detaljer, og meld fejlen.",
            file=sys.stderr,
        )
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
