"""What every request shares, kept on ``app.state`` (see :mod:`omtanke.server.app`).

A separate module so that the API router, the web UI and :mod:`.auth` can reach the engine
and the register without importing the app module (which imports them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from ..engine import Engine
    from ..guidance import Guide
    from ..register import Register
    from .settings import Settings

__all__ = ["engine_of", "get_register", "guide_of", "open_guide", "open_register", "settings_of"]


def open_register(app: Any) -> Register:
    """The app's register, opened (and migrated) the first time it is needed. Blocking:
    call it from a ``def`` endpoint or a worker thread."""
    reg: Register | None = app.state.register
    if reg is None:
        from ..register import Register

        with app.state.register_lock:
            reg = app.state.register
            if reg is None:
                reg = Register(app.state.settings.register_url)
                app.state.register = reg
    return reg


def get_register(request: HTTPConnection) -> Register:
    """The register of the app serving ``request`` (usable as a FastAPI dependency)."""
    return open_register(request.app)


def engine_of(request: HTTPConnection) -> Engine:
    """The app's one :class:`~omtanke.engine.Engine`."""
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: HTTPConnection) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def open_guide(app: Any) -> Guide:
    """The app's :class:`~omtanke.guidance.Guide` over its engine's packs, made on first use
    (its index is built on the first question, or at start-up with ``warm_up``)."""
    guide: Guide | None = getattr(app.state, "guide", None)
    if guide is None:
        from ..guidance import Guide

        with app.state.register_lock:
            guide = getattr(app.state, "guide", None)
            if guide is None:
                guide = Guide(app.state.engine)
                app.state.guide = guide
    return guide


def guide_of(request: HTTPConnection) -> Guide:
    return open_guide(request.app)
