"""The examples in the core's docstrings run as tests, so that none of them can go stale."""

import doctest
import importlib
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
