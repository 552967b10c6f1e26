"""The examples in the core's docstrings run as tests, so that none of them can go stale."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import klaster.core


def _modules_with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    names = []
    for _, name, _ in pkgutil.walk_packages(klaster.core.__path__, "klaster.core."):
        if ".tests" in name:
            continue
        module = importlib.import_module(name)
        examples = [example for test in finder.find(module) for example in test.examples]
        # Examples marked +SKIP only illustrate (they need the shared data): nothing to run.
        if any(not example.options.get(doctest.SKIP) for example in examples):
            names.append(name)
    return sorted(names)


MODULES = _modules_with_examples()


def test_the_core_documents_itself_with_examples():
    assert len(MODULES) >= 15  # a broken walk would quietly run nothing


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_a_module_hold(name):
    outcome = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert outcome.attempted > 0
    assert outcome.failed == 0  # the failing example is printed above


# Helpers that lived in the apps until they moved into the core: each public function shows
# its use in an example, and those examples run (above, and here by name, so that a module
# losing all of its examples fails instead of dropping out of MODULES unseen).
MOVED_FROM_THE_APPS = (
    "klaster.core.ical",
    "klaster.core.meeting_matching",
    "klaster.core.network.graphml",
    "klaster.core.sector_rules",
)


@pytest.mark.parametrize("name", MOVED_FROM_THE_APPS)
def test_every_public_function_of_a_moved_helper_has_a_running_example(name):
    module = importlib.import_module(name)
    functions = [
        function
        for attribute, function in vars(module).items()
        if inspect.isfunction(function)
        and function.__module__ == name
        and not attribute.startswith("_")
    ]
    finder = doctest.DocTestFinder(recurse=False)
    without = [f.__name__ for f in functions if not any(t.examples for t in finder.find(f))]
    assert functions and without == []
    outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted > len(functions)
    assert outcome.failed == 0
