"""Alembic environment of the register.

Run programmatically by :func:`omtanke.register.db.migrate`, which passes an open connection
(inside a transaction that holds the migration lock) as ``config.attributes["connection"]``.
With only ``sqlalchemy.url`` set, it opens its own connection; in offline mode
(``alembic upgrade --sql``) it writes the SQL for a database administrator to run.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from omtanke.register.db import WRITE_OPTION, create_engine
from omtanke.register.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
