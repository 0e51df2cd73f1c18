"""``omtanke register``: list, show, change and export the register from the command line.

Wired into the main parser by :func:`add_register_parser` and run by
:func:`run_register_command` (exit codes: 0 done, 2 usage or input error; errors are Danish,
on stderr, without tracebacks and without the text of any complaint).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

__all__ = ["add_register_parser", "run_register_command"]

EXIT_OK, EXIT_USAGE = 0, 2

MUNICIPALITY_NAMES: dict[str, str] = {
    "aabenraa": "Aabenraa",
    "soenderborg": "Sønderborg",
    "vejle": "Vejle",
    "hjoerring": "Hjørring",
}

_EPILOG = """\
Eksempler:
  omtanke register list --status modtaget --overskredet
  omtanke register list --kategori klage --fra 2026-01-01 --til 2026-03-31 --kommune hjoerring
  omtanke register show HJO-2026-00042
  omtanke register set-status HJO-2026-00042 "under behandling" --note "ringet op"
  omtanke register assign HJO-2026-00042 "Mette Jensen"
  omtanke register export --csv -o klager.csv --status besvaret
  omtanke register list --eskaleringer --type trussel

Databasen: --db URL, ellers $OMTANKE_REGISTER_URL, ellers en SQLite-fil i
~/.local/share/omtanke/register.sqlite3. PostgreSQL: --db postgresql://bruger@vært/database.
Statusser: modtaget → under behandling → besvaret | videresendt → lukket.
"""


def _date(value: str) -> date:
    v = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", v)
        if not m:
            raise argparse.ArgumentTypeError(
                f"ugyldig dato '{value}' (brug ÅÅÅÅ-MM-DD, fx 2026-03-01, eller DD-MM-ÅÅÅÅ)"
            )
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(y, mo, d)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ugyldig dato '{value}'") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke et helt tal") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("skal være et positivt tal")
    return n


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="databasen: sqlite:///sti, en filsti eller postgresql://… "
        "(standard: $OMTANKE_REGISTER_URL eller ~/.local/share/omtanke/register.sqlite3)",
    )
    p.add_argument(
        "--actor",
        "--bruger",
        dest="actor",
        metavar="NAVN",
        default=None,
        help="hvem der foretager ændringen, til revisionssporet (standard: dit brugernavn)",
    )


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", metavar="STATUS", help="kun denne status")
    p.add_argument(
        "--kategori", "--category", dest="category", metavar="KATEGORI", help="kun denne kategori"
    )
    p.add_argument(
        "--kommune", "--municipality", dest="municipality", metavar="KOMMUNE", help="kun denne"
    )
    p.add_argument(
        "--fra", "--from", dest="date_from", type=_date, metavar="DATO", help="modtaget fra dato"
    )
    p.add_argument(
        "--til", "--to", dest="date_to", type=_date, metavar="DATO", help="modtaget til og med"
    )
    p.add_argument(
        "--overskredet",
        "--overdue",
        dest="overdue",
        action="store_true",
        help="kun klager hvis frist er overskredet (og som ikke er besvaret, videresendt, lukket)",
    )
    p.add_argument(
        "--sagsbehandler", "--assignee", dest="assignee", metavar="NAVN", help="kun denne"
    )
    p.add_argument("--limit", type=_positive, metavar="N", help="højst N rækker")
    p.add_argument(
        "--eskaleringer",
        "--escalations",
        dest="escalations",
        action="store_true",
        help="eskaleringer (chikane, trusler, bekymring for barn) i stedet for klager",
    )
    p.add_argument(
        "--type",
        dest="kind",
        metavar="TYPE",
        help="med --eskaleringer: chikane, trussel eller bekymring for barn",
    )


def add_register_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``register`` and its subcommands to the main parser's subparsers object."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "register",
        help="registret over klager og eskaleringer",
        description="Registret over klager og eskaleringer: vis, ændr status, tildel, eksportér.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(_register_parser=p)
    sub = p.add_subparsers(dest="register_command", metavar="HANDLING", parser_class=type(p))

    ls = sub.add_parser("list", help="list klager (eller eskaleringer) med filtre")
    _filters(ls)
    ls.add_argument("--format", choices=["text", "json"], default="text", help="uddataformat")
    _common(ls)

    sh = sub.add_parser("show", help="vis én klage eller eskalering med historik")
    sh.add_argument("reference", metavar="REFERENCE", help="fx HJO-2026-00042")
    sh.add_argument("--format", choices=["text", "json"], default="text", help="uddataformat")
    _common(sh)

    st = sub.add_parser("set-status", help="skift status")
    st.add_argument("reference", metavar="REFERENCE")
    st.add_argument(
        "status", metavar="STATUS", help="modtaget, under behandling, besvaret, videresendt, lukket"
    )
    st.add_argument("--note", metavar="TEKST", help="en kort note til revisionssporet")
    _common(st)

    asg = sub.add_parser("assign", help="tildel en sagsbehandler")
    asg.add_argument("reference", metavar="REFERENCE")
    asg.add_argument("assignee", metavar="NAVN", nargs="?", help="sagsbehandlerens navn")
    asg.add_argument("--fjern", "--remove", dest="remove", action="store_true", help="fjern")
    _common(asg)

    ex = sub.add_parser(
        "export",
        help="eksportér til CSV (til Excel)",
        description="Eksportér til CSV: UTF-8 med BOM, semikolon som skilletegn, danske "
        "kolonnenavne – åbner direkte i dansk Excel.",
    )
    ex.add_argument("--csv", action="store_true", help="CSV (standard og eneste format)")
    ex.add_argument("-o", "--output", type=Path, metavar="FIL", help="skriv hertil (standard: ud)")
    _filters(ex)
    _common(ex)

    mg = sub.add_parser("migrate", help="opret eller opdatér databasens skema")
    _common(mg)
    return p


# ---------------------------------------------------------------------------------------------


def _filter_from(args: argparse.Namespace) -> Any:
    from .service import RegisterFilter

    return RegisterFilter(
        status=args.status,
        category=args.category,
        municipality=args.municipality,
        kind=args.kind,
        received_from=args.date_from,
        received_to=args.date_to,
        overdue=args.overdue,
        assignee=args.assignee,
        limit=args.limit,
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], out: IO[str]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    line = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()
    print(line, file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip(), file=out)


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _cmd_list(reg: Any, args: argparse.Namespace, out: IO[str]) -> int:
    from .service import CATEGORY_LABELS, category_names, local_time

    flt = _filter_from(args)
    if args.escalations:
        escalations = reg.list_escalations(flt)
        if args.format == "json":
            json.dump([e.to_dict() for e in escalations], out, ensure_ascii=False, indent=2)
            out.write("\n")
            return EXIT_OK
        if not escalations:
            print("Ingen eskaleringer matcher.", file=out)
            return EXIT_OK
        rows = [
            [
                e.reference,
                local_time(e.received_at),
                CATEGORY_LABELS.get(e.kind, e.kind),
                e.channel,
                e.status,
                e.assignee or "–",
            ]
            for e in escalations
        ]
        _table(
            ["Referencenummer", "Modtaget", "Type", "Kanal", "Status", "Sagsbehandler"], rows, out
        )
        n = len(escalations)
        print(f"\n{n} eskalering{'er' if n != 1 else ''}.", file=out)
        return EXIT_OK
    if args.kind:
        raise _Usage("--type gælder kun sammen med --eskaleringer.")
    complaints = reg.list_complaints(flt)
    if args.format == "json":
        json.dump([c.to_dict() for c in complaints], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    if not complaints:
        print("Ingen klager matcher.", file=out)
        return EXIT_OK
    rows = []
    overdue = 0
    for c in complaints:
        late = c.is_overdue()
        overdue += late
        rows.append(
            [
                c.reference,
                local_time(c.received_at),
                c.channel,
                _short(category_names(c.categories)),
                c.deadline.isoformat() + (" !" if late else ""),
                c.status,
                c.assignee or "–",
            ]
        )
    _table(
        ["Referencenummer", "Modtaget", "Kanal", "Kategorier", "Frist", "Status", "Sagsbehandler"],
        rows,
        out,
    )
    n = len(complaints)
    summary = f"\n{n} klage{'r' if n != 1 else ''}"
    if overdue:
        summary += f", heraf {overdue} med overskredet frist (!)"
    print(summary + ".", file=out)
    return EXIT_OK


def _cmd_show(reg: Any, args: argparse.Namespace, out: IO[str]) -> int:
    from .service import CATEGORY_LABELS, ComplaintRecord, category_names, local_time

    rec = reg.get(args.reference)
    trail = reg.audit_trail(rec.reference)
    if args.format == "json":
        data = rec.to_dict()
        data["audit_trail"] = [a.to_dict() for a in trail]
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    pairs: list[tuple[str, str]] = [("Referencenummer", rec.reference)]
    if not isinstance(rec, ComplaintRecord):
        pairs.append(("Type", f"eskalering: {CATEGORY_LABELS.get(rec.kind, rec.kind)}"))
    pairs += [
        ("Kommune", MUNICIPALITY_NAMES.get(rec.municipality, rec.municipality)),
        ("Modtaget", local_time(rec.received_at)),
        ("Registreret", local_time(rec.registered_at)),
        ("Kanal", rec.channel),
        ("Kilde", rec.source_url or "–"),
        ("Kategorier", category_names(rec.categories) or "–"),
    ]
    if isinstance(rec, ComplaintRecord):
        late = " (overskredet)" if rec.is_overdue() else ""
        pairs.append(("Frist", rec.deadline.isoformat() + late))
    pairs += [
        ("Status", rec.status),
        ("Sagsbehandler", rec.assignee or "–"),
        ("Hash", rec.text_hash if isinstance(rec, ComplaintRecord) else rec.evidence_hash),
    ]
    width = max(len(k) for k, _ in pairs) + 2
    for key, value in pairs:
        print(f"{(key + ':').ljust(width)}{value}", file=out)
    print("Tekst (maskeret):", file=out)
    for line in rec.masked_text.splitlines() or [""]:
        print(f"  {line}", file=out)
    print("\nHistorik:", file=out)
    actor_width = max((len(a.actor) for a in trail), default=0)
    for a in trail:
        old = a.old_value or "–"
        change = f"{old} → {a.new_value or '–'}" if a.action != "oprettet" else a.new_value or ""
        note = f"  ({a.note})" if a.note else ""
        print(
            f"  {local_time(a.at)}  {a.actor.ljust(actor_width)}  {a.action}: {change}{note}",
            file=out,
        )
    return EXIT_OK


def _cmd_set_status(reg: Any, args: argparse.Namespace, out: IO[str]) -> int:
    rec = reg.set_status(args.reference, args.status, actor=args.actor, note=args.note)
    print(f"{rec.reference}: status er nu '{rec.status}'.", file=out)
    return EXIT_OK


def _cmd_assign(reg: Any, args: argparse.Namespace, out: IO[str]) -> int:
    if args.remove == bool(args.assignee):
        raise _Usage("Angiv enten sagsbehandlerens navn eller --fjern.")
    rec = reg.assign(args.reference, None if args.remove else args.assignee, actor=args.actor)
    if rec.assignee:
        print(f"{rec.reference}: sagsbehandler er nu {rec.assignee}.", file=out)
    else:
        print(f"{rec.reference}: ingen sagsbehandler.", file=out)
    return EXIT_OK


def _open_private(path: Path) -> IO[str]:
    """Open ``path`` for writing; a new file gets mode 0600 (it holds case data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return open(fd, "w", encoding="utf-8", newline="")


def _cmd_export(reg: Any, args: argparse.Namespace, out: IO[str]) -> int:
    flt = _filter_from(args)
    what = "eskaleringer" if args.escalations else "klager"
    if args.output is not None:
        try:
            with _open_private(args.output) as fh:
                count = reg.export_csv(fh, flt, escalations=args.escalations)
        except IsADirectoryError:
            raise _Usage(f"'{args.output}' er en mappe, ikke en fil.") from None
        except OSError as exc:
            raise _Usage(f"Kan ikke skrive til '{args.output}' ({exc.strerror}).") from None
        print(f"Eksporterede {count} {what} til {args.output}.", file=sys.stderr)
        return EXIT_OK
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        reg.export_csv(out, flt, escalations=args.escalations)
        return EXIT_OK
    out.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        reg.export_csv(wrapper, flt, escalations=args.escalations)
        wrapper.flush()
    finally:
        wrapper.detach()
    return EXIT_OK


class _Usage(Exception):
    pass


_COMMANDS = {
    "list": _cmd_list,
    "show": _cmd_show,
    "set-status": _cmd_set_status,
    "assign": _cmd_assign,
    "export": _cmd_export,
}


def run_register_command(args: argparse.Namespace) -> int:
    """Run ``omtanke register …``; returns the exit code (0 done, 2 usage or input error)."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..errors import OmtankeError
    from .db import describe_url, migrate

    command = getattr(args, "register_command", None)
    out = sys.stdout
    if command is None:
        parser = getattr(args, "_register_parser", None)
        if parser is not None:
            parser.print_help(sys.stderr)
        else:
            print(
                "fejl: angiv en handling: list, show, set-status, assign, export", file=sys.stderr
            )
        return EXIT_USAGE
    try:
        if command == "migrate":
            revision = migrate(args.db)
            print(
                f"Registret er klar: {describe_url(args.db)} (skemaversion {revision}).", file=out
            )
            return EXIT_OK
        handler = _COMMANDS.get(command)
        if handler is None:
            raise _Usage(f"Ukendt handling '{command}'.")
        from .service import Register

        with Register(args.db) as reg:
            return handler(reg, args, out)
    except _Usage as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OmtankeError as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as exc:
        print(
            f"fejl: databasefejl i registret ({type(exc).__name__}); intet er gemt halvt.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
