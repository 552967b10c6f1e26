"""The core is plain Python: no module under klaster/core imports Django."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_core_module_imports_django():
    offenders = {
        str(path.relative_to(CORE)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "django"
        )
        for path in CORE.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_scan_sees_the_core_modules():
    scanned = {path.name for path in CORE.rglob("*.py")}
    assert {"text.py", "records.py", "cordis_files.py"} <= scanned


def test_importing_every_core_module_loads_no_django():
    """Also catches Django arriving indirectly, through a library the core imports."""
    import subprocess
    import sys

    modules = sorted(
        ".".join(("klaster", "core", *path.relative_to(CORE).with_suffix("").parts))
        for path in CORE.rglob("*.py")
        if "tests" not in path.parts and path.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert result.stdout.strip() == "[]"
