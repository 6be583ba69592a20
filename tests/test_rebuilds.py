"""Rebuilds: what a second build does when little or nothing changed."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project, sphinx_build


def test_rebuild_with_nothing_changed_succeeds(tmp_path: Path) -> None:
    """No document is written, yet the column pages are (they are made at every build)."""
    src = copy_project(tmp_path / "src")
    assert sphinx_build(src).returncode == 0
    column = src / "_build" / "html" / "columns" / "news-byte.html"
    column.unlink()
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed" in result.stdout
    assert column.is_file()
