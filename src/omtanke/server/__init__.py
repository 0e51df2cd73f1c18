"""The HTTP side of Omtanke: one FastAPI app with the JSON API (``/v1``) and the web UI.

::

    server/
      settings.py   Settings (frozen): host, port, workers, register URL, limits; from_env()
      app.py        create_app(settings) -> FastAPI; get_register(request)
      app_state.py  what requests share on app.state: engine, register, guide (opened lazily)
      auth.py       users, roles and permissions; bearer token or the ``omtanke_token`` cookie
      users.py      the ``users`` table: add, list, remove, look up a token (stored hashed)
      api.py        the ``/v1`` router: a thin layer over Engine, the packs, Guide, images and
                    Register
      schemas.py    Pydantic request and response models (the OpenAPI schema)
      errors.py     one error shape for every failure: {"error": {"code", "message"}}
      limits.py     the body-size limit (ASGI middleware) and the per-request time limit
      cli.py        ``omtanke serve`` and ``omtanke users add|list|remove``
      logs.py       uvicorn's logging, with the access log showing paths only
      web*.py       the Danish web UI (templates/, static/; docs/WEB.md)

This module stays light: ``omtanke --help`` imports ``omtanke.server.cli``, not FastAPI.
See docs/API.md.
"""

from __future__ import annotations

__all__: list[str] = []
