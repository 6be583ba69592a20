"""How tests/find_browser.py chooses the browser, without installing or removing one: the
places it looks at are files made here, Playwright's answer is a stand-in function, and
the system's identity is passed in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import find_browser
import pytest
from conftest import ROOT
from find_browser import ENV, BrowserNotFound, advice, find, is_snap, privilege, system


def executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The system places moved into tmp_path, none of them there yet."""
    chromium = [tmp_path / "usr/bin/chromium", tmp_path / "usr/bin/chromium-browser"]
    chrome = [tmp_path / "usr/bin/google-chrome", tmp_path / "opt/google/chrome/chrome"]
    monkeypatch.setattr(find_browser, "CHROMIUM", [str(p) for p in chromium])
    monkeypatch.setattr(find_browser, "CHROME", [str(p) for p in chrome])
    return {"chromium": chromium[0], "fedora": chromium[1], "chrome": chrome[0],
            "playwright": tmp_path / "ms-playwright/chromium-1234/chrome-linux/chrome"}


def no_playwright() -> None:
    return None


def test_magazine_browser_names_the_browser(tmp_path: Path, places: dict[str, Path]) -> None:
    mine = executable(tmp_path / "builds" / "chromium-nightly")
    executable(places["chromium"])  # a system one is there too, and loses
    playwright = executable(places["playwright"])
    assert find({ENV: str(mine)}, playwright=lambda: playwright) == mine


def test_magazine_browser_pointing_nowhere_is_an_error(tmp_path: Path, places: dict[str, Path]) -> None:
    executable(places["chromium"])  # not used instead: the explicit choice is wrong
    with pytest.raises(BrowserNotFound, match=f"{ENV}=.*missing-chrome is not an executable"):
        find({ENV: str(tmp_path / "missing-chrome")}, playwright=no_playwright)


def test_magazine_browser_must_be_executable(tmp_path: Path, places: dict[str, Path]) -> None:
    plain = tmp_path / "chrome.txt"
    plain.write_text("not a program", encoding="utf-8")
    with pytest.raises(BrowserNotFound, match="not an executable file"):
        find({ENV: str(plain)}, playwright=no_playwright)


def test_order_playwright_then_chromium_then_chrome(places: dict[str, Path]) -> None:
    for name in ("chrome", "fedora", "chromium", "playwright"):
        executable(places[name])
    playwright = places["playwright"]
    assert find({}, playwright=lambda: playwright) == playwright
    assert find({}, playwright=no_playwright) == places["chromium"]
    places["chromium"].unlink()
    assert find({}, playwright=no_playwright) == places["fedora"]
    places["fedora"].unlink()
    assert find({}, playwright=no_playwright) == places["chrome"]
    places["chrome"].unlink()
    with pytest.raises(BrowserNotFound):
        find({}, playwright=no_playwright)


def test_an_empty_magazine_browser_counts_as_unset(places: dict[str, Path]) -> None:
    executable(places["chrome"])
    assert find({ENV: "  "}, playwright=no_playwright) == places["chrome"]


def test_ubuntus_snap_wrapper_is_passed_over(places: dict[str, Path]) -> None:
    wrapper = executable(places["fedora"], "#!/bin/sh\nexec /snap/bin/chromium \"$@\"\n")
    assert is_snap(wrapper)
    executable(places["chrome"])
    assert find({}, playwright=no_playwright) == places["chrome"]


def test_nothing_found_names_the_command_for_the_system(places: dict[str, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(find_browser, "system", lambda: "fedora")
    with pytest.raises(BrowserNotFound) as caught:
        find({}, playwright=no_playwright)
    message = str(caught.value)
    assert "sudo dnf install chromium" in message
    assert ENV in message and "-m 'not browser'" in message
    assert str(places["chromium"]) in message  # it says where it looked


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("macos", "brew install --cask chromium"),
        ("wsl", "-m playwright install chromium --with-deps"),
        ("ubuntu", "-m playwright install chromium --with-deps"),
        ("debian", "sudo apt-get install chromium"),
        ("fedora", "sudo dnf install chromium"),
        ("linux", "-m playwright install chromium"),
    ],
)
def test_each_system_gets_its_command(kind: str, command: str) -> None:
    assert command in advice(kind)


@pytest.mark.parametrize(
    ("kernel", "release", "osrelease", "kind"),
    [
        ("Darwin", {}, "", "macos"),
        ("Linux", {"ID": "debian"}, "6.1.0-13-amd64", "debian"),
        ("Linux", {"ID": "raspbian", "ID_LIKE": "debian"}, "6.1.0", "debian"),
        ("Linux", {"ID": "ubuntu", "ID_LIKE": "debian"}, "6.8.0-1017-azure", "ubuntu"),
        ("Linux", {"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, "6.8.0", "ubuntu"),
        ("Linux", {"ID": "ubuntu", "ID_LIKE": "debian"}, "5.15.153.1-microsoft-standard-WSL2", "wsl"),
        ("Linux", {"ID": "fedora"}, "6.11.4-301.fc41.x86_64", "fedora"),
        ("Linux", {"ID": "arch"}, "6.11.4-arch1-1", "linux"),
        ("Windows", {}, "", "other"),
    ],
)
def test_system_is_told_apart(kernel: str, release: dict, osrelease: str, kind: str) -> None:
    assert system(kernel, release, osrelease) == kind


def test_who_may_install() -> None:
    def sudo(code: int):
        return lambda *a, **k: subprocess.CompletedProcess(a, code)

    assert privilege(euid=0) == []
    if find_browser.shutil.which("sudo"):
        assert privilege(euid=1000, run=sudo(0)) == ["sudo", "-n"]
        assert privilege(euid=1000, run=sudo(1)) is None


def test_ensure_installs_only_on_debian_with_rights(places: dict[str, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(find_browser, "playwright_chromium", no_playwright)
    monkeypatch.setattr(find_browser, "find", lambda: find({}, playwright=no_playwright))

    def fake_install(prefix: list[str]) -> None:
        calls.append(prefix)
        executable(places["chromium"])  # what apt-get would leave behind

    monkeypatch.setattr(find_browser, "install_debian_chromium", fake_install)
    monkeypatch.setattr(find_browser, "privilege", lambda: None)
    monkeypatch.setattr(find_browser, "system", lambda: "debian")
    with pytest.raises(BrowserNotFound, match="sudo apt-get install chromium"):
        find_browser.ensure(install=True)  # no rights: the message, no install
    monkeypatch.setattr(find_browser, "privilege", lambda: [])
    monkeypatch.setattr(find_browser, "system", lambda: "ubuntu")
    with pytest.raises(BrowserNotFound, match="playwright install chromium --with-deps"):
        find_browser.ensure(install=True)  # Ubuntu: apt's chromium is the snap
    monkeypatch.setattr(find_browser, "system", lambda: "debian")
    with pytest.raises(BrowserNotFound):
        find_browser.ensure(install=False)
    assert calls == []
    assert find_browser.ensure(install=True) == places["chromium"]
    assert calls == [[]]


def run_script(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "tests" / "find_browser.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, check=False)


def test_the_script_prints_the_path_or_one_message(tmp_path: Path) -> None:
    """As the Makefile runs it, with the environment hiding every real browser."""
    mine = executable(tmp_path / "chrome")
    env = {"PATH": "/usr/bin:/bin", ENV: str(mine)}
    result = run_script(env=env)
    assert (result.returncode, result.stdout.strip()) == (0, str(mine))
    env[ENV] = str(tmp_path / "nothing")
    result = run_script("--install", env=env)  # an explicit wrong path: no install either
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{ENV}={tmp_path / 'nothing'} is not an executable file: point it at a Chromium or "
        "Google Chrome executable, or unset it to let the tests look for one"
    ]


def test_the_script_does_nothing_when_no_browser_test_is_selected(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", ENV: str(tmp_path / "nothing")}
    result = run_script("--if-selected", "-m", "not browser", "tests/test_find_browser.py",
                        env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    result = run_script("--if-selected", "tests/test_browser.py", env=env)
    assert result.returncode == 1 and ENV in result.stderr  # selected: the browser is needed
