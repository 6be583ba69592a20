"""The shape of the extension, kept: the order of a build is written in one place."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

EXT = ROOT / "_ext" / "magazine"


def test_every_priority_is_a_name_from_the_schedule() -> None:
    """`priority=` and `default_priority` name a value of magazine.schedule, never a number,
    so that the order of a build can be read in schedule.py alone."""
    numbered = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(EXT.rglob("*.py")) if path.name != "schedule.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(?:priority=|default_priority\s*=\s*)\d", line)
    ]
    assert numbered == []


def test_no_module_imports_a_siblings_private_name() -> None:
    private = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(EXT.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.match(r"\s*from \.+[\w.]* import .*\b_[a-z]", line)
    ]
    assert private == []


# -- the parts of a page found by their nodes ---------------------------------------------------


def _is_classes_read(node: ast.AST) -> bool:
    """``x["classes"]`` or ``x.get("classes", ...)``."""
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "classes"
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and bool(node.args)
            and isinstance(node.args[0], ast.Constant) and node.args[0].value == "classes")


def _strings(node: ast.AST, names: dict[str, ast.AST]) -> set[str]:
    """The string constants in ``node``, a module-level name followed to its value."""
    found: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            found.add(part.value)
        elif isinstance(part, ast.Name) and part.id in names:
            found |= _strings(names[part.id], {})
    return found


def classes_read_and_made(source: str) -> tuple[set[str], set[str]]:
    """The CSS classes a module looks for in nodes' classes, and those it gives nodes."""
    tree = ast.parse(source)
    names = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)}
    read: set[str] = set()
    made: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(map(_is_classes_read, node.comparators)):
            read |= _strings(node.left, names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in {"intersection", "isdisjoint", "issubset"}
              and any(_is_classes_read(a) for a in node.args)):
            read |= _strings(node.func.value, names)
        if isinstance(node, ast.keyword) and node.arg == "classes":
            made |= _strings(node.value, names)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "append" and _is_classes_read(node.func.value):
            made |= _strings(node, names)
        elif isinstance(node, ast.Assign) and any(map(_is_classes_read, node.targets)):
            made |= _strings(node.value, names)
    return read, made - {"classes"}


def test_no_css_class_is_matched_outside_the_module_that_makes_it() -> None:
    """The page's parts (header, Works Cited, the web edition's pieces) are found by their
    node types (magazine.articles.page), not by the class another module gave them."""
    read, made = classes_read_and_made(
        'def f(n, m):\n    return "a" in n["classes"] or "b" in m.get("classes", ())\n')
    assert (read, made) == ({"a", "b"}, set())
    foreign = [
        f"{path.relative_to(ROOT)}: {sorted(read - made)}"
        for path in sorted(EXT.rglob("*.py"))
        for read, made in [classes_read_and_made(path.read_text(encoding="utf-8"))]
        if read - made
    ]
    assert foreign == []


# -- one door to sphinxcontrib-bibtex ------------------------------------------------------------

#: modules that still import a library internal directly, each with what is to be done (they
#: belong to work in progress elsewhere; the import is to come from magazine.doors.bibtex27)
NOT_YET_THROUGH_THE_DOOR: dict[str, str] = {}


def library_imports(path: Path, package: str = "sphinxcontrib.bibtex") -> list[tuple[int, str]]:
    """Each module of ``package`` that a file imports, with its line (an import of a
    submodule's name from the package itself counts as the submodule)."""
    import importlib.util

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            if node.module == package:
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                          if importlib.util.find_spec(f"{node.module}.{alias.name}") is not None]
    return [(line, name) for line, name in found
            if name == package or name.startswith(package + ".")]


def test_only_the_door_imports_the_librarys_internals() -> None:
    """Every use of sphinxcontrib-bibtex beyond its documented extension points comes through
    magazine.doors.bibtex27, which refuses any version but the one it was written against."""
    from magazine.doors import bibtex27

    assert bibtex27.is_public("sphinxcontrib.bibtex.style.referencing.author_year")
    assert not bibtex27.is_public("sphinxcontrib.bibtex.domain")
    internal = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(EXT.rglob("*.py")) if path.name != "bibtex27.py"
        if str(path.relative_to(ROOT)) not in NOT_YET_THROUGH_THE_DOOR
        for line, module in library_imports(path) if not bibtex27.is_public(module)
    ]
    assert internal == []
    for name in NOT_YET_THROUGH_THE_DOOR:  # a file fixed leaves the list
        assert [m for _, m in library_imports(ROOT / name) if not bibtex27.is_public(m)], name


def test_the_door_refuses_another_version_at_start_up(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """Sphinx does not start with another sphinxcontrib-bibtex: a clear error naming the
    installed version and what to do, not a build with wrong lists."""
    from sphinx.errors import ExtensionError
    from sphinx.testing.util import SphinxTestApp

    from magazine.doors import bibtex27

    assert bibtex27.installed_version() in bibtex27.SUPPORTED  # the door opens today
    monkeypatch.setattr(bibtex27, "installed_version", lambda: "2.8.0")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinxcontrib.bibtex", "magazine"]\n',
                                 encoding="utf-8")
    with pytest.raises(ExtensionError) as refused:  # (the test app cleans up as it fails)
        SphinxTestApp("html", srcdir=src, builddir=tmp_path / "build")
    message = str(refused.value)
    assert "sphinxcontrib-bibtex 2.8.0 is installed" in message
    assert "version 2.7.0" in message
    assert "pip install 'sphinxcontrib-bibtex==2.7.0'" in message
    assert "_ext/magazine/doors/bibtex27.py" in message
    assert not any((tmp_path / "build" / "html").iterdir())

    monkeypatch.setattr(bibtex27, "installed_version", lambda: None)
    with pytest.raises(ExtensionError, match="sphinxcontrib-bibtex is not installed"):
        bibtex27.check_version()


def test_the_door_refuses_another_version_on_import() -> None:
    """Whatever imports the door (a build, make check, make references) stops there."""
    code = ("import importlib.metadata\n"
            "importlib.metadata.version = lambda name: '2.8.0'\n"
            "import magazine.doors.bibtex27\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "_ext")},
                            check=False)
    assert result.returncode != 0
    assert "sphinx.errors.ExtensionError: sphinxcontrib-bibtex 2.8.0 is installed" in \
        result.stderr


def test_the_door_says_when_the_library_works() -> None:
    """The moments the schedule places the magazine's handlers around are the library's."""
    import inspect
    from unittest import mock

    import sphinxcontrib.bibtex
    from sphinx.application import Sphinx

    from magazine.doors import bibtex27

    from magazine import schedule

    app = mock.MagicMock()
    sphinxcontrib.bibtex.setup(app)
    default = inspect.signature(Sphinx.connect).parameters["priority"].default
    parse = [call.kwargs.get("priority", default) for call in app.connect.call_args_list
             if call.args[1] is sphinxcontrib.bibtex.builder_inited_cite]
    assert parse == [bibtex27.PARSE_PRIORITY]
    assert schedule.BIB_CAPTURE < bibtex27.PARSE_PRIORITY < schedule.BIB_CHECK
    assert bibtex27.PARSE_PRIORITY < schedule.FINGERPRINTS
    # the magazine fills its bibliographies one step ahead of the library, and shapes the
    # lists after it, before Sphinx resolves references (10)
    assert schedule.BIBLIOGRAPHY < bibtex27.FILL_PRIORITY < schedule.WORKS_CITED < 10


def test_the_domain_overrides_only_what_the_door_lists() -> None:
    """The library's methods the magazine's domain replaces are named at the door, and the
    domain is registered once."""
    import inspect

    from magazine.doors import bibtex27
    from magazine.citations.citeindex import CiteDomain

    library = vars(bibtex27.BibtexDomain)
    overridden = {
        name
        for cls in CiteDomain.__mro__[:CiteDomain.__mro__.index(bibtex27.BibtexDomain)]
        if cls.__module__ != bibtex27.__name__
        for name in vars(cls) if inspect.isfunction(library.get(name))
    }
    assert overridden == set(bibtex27.OVERRIDDEN)
    registering = [path.name for path in sorted(EXT.rglob("*.py"))
                   if re.search(r"add_domain\((CiteDomain|WorksCitedDomain)\b",
                                path.read_text(encoding="utf-8"))]
    assert registering == ["citeindex.py"]


# -- one door to pybtex ----------------------------------------------------------------------

#: modules that still import a pybtex internal directly (work in progress elsewhere)
NOT_YET_THROUGH_PYBTEX_DOOR: dict[str, str] = {}


def test_only_the_pybtex_door_imports_pybtex_internals() -> None:
    """Every use of pybtex beyond its documented interfaces comes through
    magazine.doors.pybtex026, which refuses any version but the one it was written against."""
    from magazine.doors import pybtex026

    assert pybtex026.is_public("pybtex.style.sorting.none")
    assert not pybtex026.is_public("pybtex.database.input.bibtex")
    internal = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(EXT.rglob("*.py")) if path.name != "pybtex026.py"
        if str(path.relative_to(ROOT)) not in NOT_YET_THROUGH_PYBTEX_DOOR
        for line, module in library_imports(path, "pybtex") if not pybtex026.is_public(module)
    ]
    assert internal == []
    for name in NOT_YET_THROUGH_PYBTEX_DOOR:  # a file fixed leaves the list
        assert [m for _, m in library_imports(ROOT / name, "pybtex")
                if not pybtex026.is_public(m)], name


def test_the_pybtex_door_refuses_another_version() -> None:
    """Whatever imports the door (a build, make check, make references) stops there, with
    the installed version and what to do."""
    from sphinx.errors import ExtensionError

    from magazine.doors import pybtex026

    assert pybtex026.installed_version() in pybtex026.SUPPORTED  # the door opens today
    with pytest.raises(ExtensionError) as refused:
        pybtex026.check_version("0.27.0")
    assert "pybtex 0.27.0 is installed" in str(refused.value)
    assert "pip install 'pybtex==0.26.1'" in str(refused.value)
    code = ("import importlib.metadata\n"
            "real = importlib.metadata.version\n"
            "importlib.metadata.version = lambda name: '0.27.0' if name == 'pybtex' "
            "else real(name)\n"
            "import magazine.bibstyle.cli\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "_ext")},
                            check=False)
    assert result.returncode != 0
    assert "sphinx.errors.ExtensionError: pybtex 0.27.0 is installed" in result.stderr


# -- speed-ups: one switch, nothing changed ----------------------------------------------------


def test_the_speedups_change_nothing_a_build_writes(tmp_path: Path) -> None:
    """The seed site built with the speed-ups and without them (``magazine_speedups``):
    the same pages, byte for byte, and every speed-up says what it works around and when
    it can go."""
    from conftest import build, copy_project

    from magazine.speedups import SPEEDUPS

    assert {s.module for s in SPEEDUPS} == {
        p.stem for p in (EXT / "speedups").glob("*.py") if p.stem != "__init__"}
    assert all(s.works_around and s.measured and s.remove_when for s in SPEEDUPS)
    outputs = []
    for on in (True, False):
        src = copy_project(tmp_path / f"src-{on}")
        result = build(src, confoverrides={"magazine_speedups": on})
        assert result.returncode == 0, result.stderr
        outputs.append({p.relative_to(result.outdir): p.read_bytes()
                        for p in sorted(result.outdir.rglob("*")) if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    assert [name for name in outputs[0] if outputs[0][name] != outputs[1][name]] == []


# -- one configuration -------------------------------------------------------------------------


def test_every_setting_is_declared_once_in_config() -> None:
    """Every ``magazine_*`` value is declared in config.SETTINGS (and nowhere else), read
    as one typed record, and its allowed values are written once."""
    from dataclasses import fields

    from magazine import config
    from magazine.bibstyle import settings

    declared = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(EXT.rglob("*.py")) if path.name != "config.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "add_config_value(" in line and "magazine_" in line
    ]
    assert declared == []
    names = [s.name for s in config.SETTINGS]
    assert names == [f.name for f in fields(config.MagazineConfig)]
    assert config.BIB_ORDERS is settings.ORDERS
    assert config.PERSONAL_COMMUNICATIONS is settings.PERSONAL_COMMUNICATIONS
    values = config.magazine_config({"magazine_pdf_paper": "us-letter"})
    assert values.pdf_paper == "us-letter" and values.article_dir == "articles"
