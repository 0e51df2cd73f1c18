"""Alembic migrations of the register, shipped inside the package (see ``db.migrate``)."""
