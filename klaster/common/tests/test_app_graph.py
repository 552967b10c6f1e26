"""The apps follow their layers (`klaster.common.appgraph.LAYERS`): no cycle, no import of an app
above, no private name or management command of another app. Plain Python, like the core-purity
test: the graph is read from the source with `ast`."""

from io import StringIO
from pathlib import Path

import pytest

from klaster.common.appgraph import LAYERS, app_graph, layer_of, report

PROJECT = Path(__file__).resolve().parents[3]


def _tree(root: Path, files: dict[str, str]) -> Path:
    """A tiny fake project: ``{"pkg/a/views.py": "import pkg.b"}``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# --- Klaster itself --------------------------------------------------------------------------------


def test_klaster_apps_follow_the_layers():
    graph = app_graph(PROJECT)
    assert graph.problems() == [], report(graph, sites=True)


def test_the_scan_sees_every_app_and_their_imports():
    graph = app_graph(PROJECT)
    assert {"core", "common", "members", "trackrecord", "consortia", "portal"} <= set(graph.apps)
    edges = graph.edges()
    # Facts of the code base that must hold while it is as it is: were the scan blind, they
    # would not.
    assert "members" in edges["trackrecord"]
    assert {"members", "events", "consortia"} <= edges["portal"]


def test_every_app_is_on_exactly_one_layer():
    declared = [app for layer in LAYERS for app in layer]
    assert len(declared) == len(set(declared))
    assert layer_of("core") == 0 and layer_of("common") == 1
    assert (
        layer_of("members") < layer_of("trackrecord") < layer_of("consortia") < layer_of("portal")
    )


# --- The checker catches what it must ----------------------------------------------------------


def test_a_cycle_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/a/__init__.py": "",
            "pkg/a/views.py": "from pkg.b.selectors import thing\n",
            "pkg/b/__init__.py": "",
            "pkg/b/selectors.py": "def f():\n    from pkg.c import models\n",
            "pkg/c/__init__.py": "",
            "pkg/c/models.py": "import pkg.a.views\n",
        },
    )
    graph = app_graph(root, "pkg", [["a", "b", "c"]])  # one layer: only the cycle is wrong
    assert graph.cycles == [["a", "b", "c"]]
    assert graph.problems() == ["cycle among: a, b, c"]


def test_an_upward_import_is_found_and_a_downward_one_is_not(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/low/__init__.py": "",
            "pkg/low/views.py": "def page():\n    from pkg.high.selectors import listing\n",
            "pkg/high/__init__.py": "",
            "pkg/high/selectors.py": "",
            "pkg/mid/__init__.py": "",
            "pkg/mid/services.py": "from pkg.low import views\n",
        },
    )
    graph = app_graph(root, "pkg", [["low"], ["mid"], ["high"]])
    assert [(i.source, i.target, i.path, i.line) for i in graph.upward] == [
        ("low", "high", "pkg/low/views.py", 2)
    ]
    assert graph.cycles == []


def test_private_names_of_another_app_are_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/a/__init__.py": "",
            "pkg/a/imports.py": "def _date_text(v):\n    return v\n",
            "pkg/a/_helpers.py": "",
            "pkg/b/__init__.py": "",
            "pkg/b/imports.py": (
                "from pkg.a.imports import _date_text\n"
                "from pkg.a import _helpers\n"
                "from pkg.a import imports\n"
                "imports._date_text(1)\n"
                "from pkg.a.models import Thing\n"
                "Thing._meta\n"  # Django's public API, not a private name
            ),
            "pkg/a/views.py": "from pkg.a.imports import _date_text\n",  # its own: fine
        },
    )
    graph = app_graph(root, "pkg", [["a"], ["b"]])
    assert sorted((i.line, i.name) for i in graph.private) == [
        (1, "_date_text"),
        (2, "_helpers"),
        (4, "_date_text"),
    ]


def test_management_command_modules_of_another_app_are_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/a/__init__.py": "",
            "pkg/a/management/commands/partners.py": "CACHE = 1\n",
            "pkg/b/__init__.py": "",
            "pkg/b/management/commands/consortium.py": (
                "from pkg.a.management.commands.partners import CACHE\n"
            ),
        },
    )
    graph = app_graph(root, "pkg", [["a"], ["b"]])
    assert [str(i) for i in graph.commands] == [
        "pkg/b/management/commands/consortium.py:1: pkg.a.management.commands.partners import CACHE"
    ]


def test_tests_and_migrations_are_not_looked_at_but_relative_imports_are(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/a/__init__.py": "",
            "pkg/a/tests/test_x.py": "import pkg.b\n",
            "pkg/a/migrations/0001_initial.py": "import pkg.b\n",
            "pkg/a/conftest.py": "import pkg.b\n",
            "pkg/b/__init__.py": "",
            "pkg/b/views.py": "from ..a.models import Thing\n",
        },
    )
    graph = app_graph(root, "pkg", [["b"], ["a"]])
    assert [(i.source, i.target) for i in graph.imports] == [("b", "a")]
    assert [i.module for i in graph.upward] == ["pkg.a.models"]


def test_an_app_on_no_layer_is_reported(tmp_path):
    root = _tree(tmp_path, {"pkg/a/__init__.py": "", "pkg/stray/__init__.py": ""})
    assert app_graph(root, "pkg", [["a"]]).problems() == ["app not on any layer: stray"]


def test_the_command_prints_the_graph_and_fails_on_a_broken_tree(tmp_path):
    from django.core.management import CommandError, call_command

    _tree(
        tmp_path,
        {
            "klaster/members/__init__.py": "",
            "klaster/members/views.py": "from klaster.trackrecord.selectors import track\n",
            "klaster/trackrecord/__init__.py": "",
            "klaster/trackrecord/models.py": "from klaster.members.models import Organisation\n",
        },
    )
    out = StringIO()
    with pytest.raises(CommandError, match="break the app layers"):
        call_command("appgraph", root=tmp_path, stdout=out)
    assert "[3] members -> trackrecord" in out.getvalue()
    assert "klaster/members/views.py:1: klaster.trackrecord.selectors import track" in (
        out.getvalue()
    )


def test_the_docstring_example_runs():
    import doctest

    from klaster.common import appgraph

    result = doctest.testmod(appgraph)
    assert result.attempted > 0 and result.failed == 0
