"""Logging of the server: uvicorn's configuration, with the access log showing paths only.

Request bodies are never logged (uvicorn does not log them, and neither does Omtanke). The
access log line is ``client - "METHOD /path HTTP/1.1" status``: the query string is removed,
because a query may carry a question or a search (``/v1/ask?q=…``). Unexpected errors are
logged by :func:`omtanke.server.errors.log_unexpected` with type, path and stack only.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

__all__ = ["PathOnlyFilter", "log_config"]


class PathOnlyFilter(logging.Filter):
    """Drops the query string from uvicorn's access-log records (``args[2]`` is the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path = args[2].split("?", 1)[0]
            record.args = (*args[:2], path, *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration plus :class:`PathOnlyFilter` on the access
    log and the ``omtanke`` logger on stderr."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["path_only"] = {"()": f"{__name__}.PathOnlyFilter"}
    config["loggers"]["uvicorn.access"]["filters"] = ["path_only"]
    config["loggers"]["omtanke"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
