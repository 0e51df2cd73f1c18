from __future__ import annotations

import omtanke


def test_all_is_in_sync() -> None:
    for name in omtanke.__all__:
        assert getattr(omtanke, name) is not None, name
    public = {
        n
        for n, v in vars(omtanke).items()
        if not n.startswith("_")
        and not isinstance(v, type(omtanke))
        and n not in ("annotations", "TYPE_CHECKING", "Any")
    }
    assert public <= set(omtanke.__all__), public - set(omtanke.__all__)


def test_module_check_function() -> None:
    report = omtanke.check("Cpr 120379-3649", municipality="vejle")
    assert report.verdict is omtanke.Level.STOP
