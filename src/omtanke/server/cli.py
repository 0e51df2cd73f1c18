"""``omtanke serve`` and ``omtanke users add|list|remove``.

Wired into the main parser through ``omtanke.cli._EXTENSIONS``. Only the standard library is
imported at the top, so that ``omtanke --help`` stays fast; FastAPI, uvicorn and SQLAlchemy
are imported inside the commands. Errors are Danish (``OmtankeError``, handled by
``omtanke.cli.main``: ``fejl: …`` on stderr, exit code 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

__all__ = ["add_parsers"]

EXIT_OK = 0

_SERVE_EPILOG = """\
Eksempler:
  omtanke serve                               # http://127.0.0.1:8000
  omtanke serve --host 0.0.0.0 --port 8080 --workers 2
  omtanke serve --db postgresql://omtanke@db.kommune.local/omtanke

API: /v1 (se docs/API.md), skema: /openapi.json. Miljøvariabler: OMTANKE_HOST, OMTANKE_PORT,
OMTANKE_WORKERS, OMTANKE_REGISTER_URL, OMTANKE_MAX_BODY_BYTES, OMTANKE_REQUEST_TIMEOUT,
OMTANKE_MAX_CHARS, OMTANKE_PACKS.
"""

_USERS_EPILOG = """\
Eksempler:
  omtanke users add "Mette Holm" --role page_admin    # skriver tokenet (kun denne gang)
  TOKEN=$(omtanke users add leder1 --role manager)
  omtanke users list
  omtanke users remove "Mette Holm"

Roller: employee (medarbejder: tjek og triage), page_admin (sideadministrator: også se,
registrere og skifte status i registret), manager (leder: også tildele og eksportere).
Tokenet gemmes kun som hash; det kan ikke vises igen. Mistet token: fjern brugeren og
opret den igen.
"""


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke et portnummer") from None
    if not 0 < port <= 65535:
        raise argparse.ArgumentTypeError("porten skal være mellem 1 og 65535")
    return port


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke et helt tal") from None
    if n < 1:
        raise argparse.ArgumentTypeError("skal være mindst 1")
    return n


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="registrets database (brugere, klager): sqlite:///sti, en filsti eller "
        "postgresql://… (standard: $OMTANKE_REGISTER_URL eller "
        "~/.local/share/omtanke/register.sqlite3)",
    )


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``users`` to the main parser's sub-commands."""
    s = sub.add_parser(
        "serve",
        help="start web-API'et og webgrænsefladen",
        description="Start Omtankes HTTP-API (/v1) og webgrænseflade med uvicorn.",
        epilog=_SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("--host", metavar="ADRESSE", help="adressen der lyttes på (127.0.0.1)")
    s.add_argument("--port", type=_port, metavar="PORT", help="porten (8000)")
    s.add_argument("--workers", type=_workers, metavar="N", help="antal arbejdsprocesser (1)")
    _db_arg(s)
    s.set_defaults(handler=_cmd_serve)

    u = sub.add_parser(
        "users",
        help="brugere og tokens til API'et og webgrænsefladen",
        description="Opret, vis og fjern brugere. Et token gemmes kun som hash.",
        epilog=_USERS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    usub = u.add_subparsers(dest="users_command", metavar="HANDLING", parser_class=parser_class)
    add = usub.add_parser("add", help="opret en bruger og skriv dens token")
    add.add_argument("name", metavar="NAVN", help="brugerens navn (skrives i revisionssporet)")
    add.add_argument(
        "--role",
        "--rolle",
        dest="role",
        required=True,
        metavar="ROLLE",
        help="employee, page_admin eller manager (medarbejder, sideadministrator, leder)",
    )
    _db_arg(add)
    ls = usub.add_parser("list", help="vis brugerne")
    _db_arg(ls)
    rm = usub.add_parser("remove", help="fjern en bruger (tokenet holder op med at virke)")
    rm.add_argument("name", metavar="NAVN")
    _db_arg(rm)
    u.set_defaults(handler=_cmd_users, _users_parser=u)


def _cmd_serve(args: argparse.Namespace) -> int:
    from .settings import Settings

    overrides: dict[str, Any] = {}
    if args.host is not None:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    if args.workers is not None:
        overrides["workers"] = args.workers
    if args.db is not None:
        overrides["register_url"] = args.db
    pack_paths = tuple(getattr(args, "pack", None) or ())
    settings = Settings.from_env(**overrides)
    if pack_paths:
        from dataclasses import replace

        settings = replace(settings, pack_paths=(*settings.pack_paths, *pack_paths))

    import uvicorn

    from .logs import log_config

    print(
        f"Omtanke kører på {settings.url} – API: {settings.url}/v1, "
        f"skema: {settings.url}/openapi.json. Stop med Ctrl+C.",
        file=sys.stderr,
        flush=True,
    )
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": log_config(),
        "server_header": False,
        "proxy_headers": False,
    }
    if settings.workers == 1:
        from .app import create_app

        uvicorn.run(create_app(settings), **common)
    else:
        # Each worker process builds its own app from the environment.
        os.environ.update(settings.to_env())
        uvicorn.run(
            "omtanke.server.app:create_app", factory=True, workers=settings.workers, **common
        )
    return EXIT_OK


def _cmd_users(args: argparse.Namespace) -> int:
    if args.users_command is None:
        args._users_parser.print_help()
        return 2
    from ..register import Register
    from .users import ROLE_NAMES, add_user, list_users, remove_user

    with Register(args.db) as reg:
        if args.users_command == "add":
            record, token = add_user(reg, args.name, args.role)
            print(
                f"Bruger '{record.name}' oprettet ({ROLE_NAMES[record.role]}). Tokenet herunder "
                "vises kun denne gang – gem det et sikkert sted:",
                file=sys.stderr,
            )
            print(token)
            return EXIT_OK
        if args.users_command == "list":
            users = list_users(reg)
            if not users:
                print("Ingen brugere. Opret en med 'omtanke users add NAVN --role ROLLE'.")
                return EXIT_OK
            from ..register.service import local_time

            width = max(len(u.name) for u in users)
            for user in users:
                print(
                    f"{user.name:<{width}}  {user.role:<10}  {ROLE_NAMES[user.role]:<17}  "
                    f"oprettet {local_time(user.created_at)}"
                )
            print(f"{len(users)} bruger{'e' if len(users) != 1 else ''}.")
            return EXIT_OK
        remove_user(reg, args.name)
        print(f"Bruger '{args.name.strip()}' fjernet; tokenet virker ikke længere.")
        return EXIT_OK
