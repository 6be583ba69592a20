"""The APA style against the oracle: pandoc's citeproc with the official CSL APA style.

The oracle is a copy in ``tests/data/apa-oracle`` (``PROVENANCE.md`` there says where it
comes from). Its README lists where the oracle departs from APA 7; there the target is
APA's form, given below with the README's number, not the oracle's output. The last test
runs the oracle's own script on a copy and checks that it gives the committed files again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from apa_helpers import EXTRA, ORACLE, Formatted, em_runs, squash

from magazine.bibstyle.cli import reference_list
from magazine.bibstyle.settings import APA

try:
    import pypandoc
except ImportError:  # the pin is in requirements-dev.txt; a platform without its wheel lacks it
    pypandoc = None

GOAL = 1.0  # every entry: a change that breaks one of them must say why (APA_FORMS)
#: README deviation 5 (APA 9.27) and 6 (APA 10.6): (oracle text, APA text)
APA_FORMS = {
    "moher2009preferred": ("6(7), e1000097.", "6(7), Article e1000097."),
    "chomsky1951morphophonemics": ("[Master’s thesis]", "[Unpublished master’s thesis]"),
}
#: README deviation 4 (APA 9.48): a title-led entry is filed by its first significant word,
#: ignoring "The"; here: key -> the key APA files it after
FILED_AFTER = {"nobel2016nobel": "nist2001advanced"}


@pytest.fixture(scope="module")
def oracle() -> dict:
    records = json.loads((ORACLE / "expected.json").read_text(encoding="utf-8"))
    return {"records": records, "bib": (ORACLE / "corpus.bib").read_text(encoding="utf-8")}


def apa_targets(records: list[dict]) -> list[dict]:
    """The oracle's printed entries with the documented deviations put right."""
    targets = [dict(r) for r in records if r["text"]]
    for record in targets:
        if record["key"] in APA_FORMS:
            old, new = APA_FORMS[record["key"]]
            assert old in record["text"], record["key"]
            record["text"] = record["text"].replace(old, new)
    for key, after in FILED_AFTER.items():
        moved = next(r for r in targets if r["key"] == key)
        targets.remove(moved)
        index = next(i for i, r in enumerate(targets) if r["key"] == after)
        targets.insert(index + 1, moved)
    return targets


def test_reference_list_matches_the_oracle(oracle: dict) -> None:
    formatted = Formatted(oracle["bib"], APA)
    targets = apa_targets(oracle["records"])
    texts, htmls = formatted.text(), formatted.html()
    keys = [e.key for e in formatted.entries]
    assert len(keys) == len(targets)
    silent = {r["key"] for r in oracle["records"] if not r["text"]}
    assert not silent & set(keys), "a personal communication was listed"
    text_hits = italic_hits = 0
    misses = []
    for key, text, markup, target in zip(keys, texts, htmls, targets):
        text_ok = key == target["key"] and squash(text) == squash(target["text"])
        italic_ok = key == target["key"] and em_runs(markup) == em_runs(target["html"])
        text_hits += text_ok
        italic_hits += italic_ok
        if not (text_ok and italic_ok):
            misses.append(f"{key} (expected {target['key']}):\n  got  {text}\n  want {target['text']}")
    total = len(targets)
    print(f"\nAPA oracle, reference list: text {text_hits}/{total} "
          f"({text_hits / total:.0%}), italics {italic_hits}/{total} ({italic_hits / total:.0%})")
    print("\n".join(misses))
    assert text_hits / total >= GOAL and italic_hits / total >= GOAL, "\n".join(misses)


def intext_rows(folder: Path = ORACLE) -> list[list[str]]:
    path = folder / "intext.txt"
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def in_text_misses(formatted: Formatted, rows: list[list[str]]) -> list[str]:
    """The rows the style gets wrong; where the oracle deviates, APA's form in the note counts."""
    wrong = []
    for case, citation, pandoc, note in rows:
        got = formatted.cite_pandoc(citation)
        if note.startswith("ORACLE DEVIATES"):
            # the target is the APA form quoted in the note, which the oracle does not print
            right = got != pandoc and got in note
        else:
            right = got == pandoc
        if not right:
            wrong.append(f"{case}: got {got!r}, oracle {pandoc!r} ({note})")
    return wrong


def test_every_in_text_case_is_apa(oracle: dict) -> None:
    rows = intext_rows()
    assert rows, "the oracle has no intext.txt"
    wrong = in_text_misses(Formatted(oracle["bib"], APA), rows)
    print(f"\nAPA oracle, in-text: {len(rows) - len(wrong)}/{len(rows)} cases right")
    assert not wrong, "\n".join(wrong)


def test_the_whole_corpus_formats_in_one_call(oracle: dict) -> None:
    """What `make references` does after start-up: check, sort, label, format, render.
    (Its speed is measured by benchmarks/references.py, run by `make bench`.)"""
    entries, _ = reference_list(oracle["bib"], APA)
    assert len(entries) == 54


#: apa-extra README deviation 1 (APA 6.14, 10.5): a conference's name in the title of its
#: proceedings is a proper noun and keeps its capitals; the oracle lowers it
EXTRA_APA_FORMS = {
    "smith2021paper": ("Proceedings of the example conference",
                       "Proceedings of the Example Conference"),
}


def test_extra_cases_made_the_same_way() -> None:
    """tests/data/apa-extra: more patterns, generated with the oracle's own script."""
    records = json.loads((EXTRA / "expected.json").read_text(encoding="utf-8"))
    for record in records:
        if record["key"] in EXTRA_APA_FORMS:
            old, new = EXTRA_APA_FORMS[record["key"]]
            assert old in record["text"] and old in record["html"], record["key"]
            record["text"] = record["text"].replace(old, new)
            record["html"] = record["html"].replace(old, new)
    formatted = Formatted((EXTRA / "corpus.bib").read_text(encoding="utf-8"), APA)
    got = list(zip([e.key for e in formatted.entries], formatted.text(), formatted.html()))
    want = [(r["key"], r["text"], r["html"]) for r in records if r["text"]]
    assert [(k, squash(t)) for k, t, _ in got] == [(k, squash(t)) for k, t, _ in want]
    assert [em_runs(h) for _, _, h in got] == [em_runs(h) for _, _, h in want]
    assert not in_text_misses(formatted, intext_rows(EXTRA))


# -- the copy is what the oracle's script makes -------------------------------------------------

#: the pandoc the oracle was made with (its regenerate.sh refuses any other)
PANDOC_VERSION = "3.9"
#: what regenerate.sh writes, per folder; apa-extra keeps no expected.html
GENERATED = {
    ORACLE: ["expected.txt", "expected.html", "expected.json", "intext.txt"],
    EXTRA: ["expected.txt", "expected.json", "intext.txt"],
}
SCRIPTS = ["regenerate.sh", "make_json_and_intext.py", "apa.csl", "nocite.md"]


def pandoc_version(program: str) -> str:
    result = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    first = result.stdout.splitlines()[0] if result.stdout else ""
    return first.removeprefix("pandoc ").strip()


def find_pandoc() -> tuple[str | None, str]:
    """pandoc 3.9: $PANDOC, else the one inside the pinned pypandoc-binary wheel, else
    `pandoc` on PATH; returns (path, "") or (None, why none is usable)."""
    candidates = []
    if os.environ.get("PANDOC"):
        candidates.append(os.environ["PANDOC"])
    if pypandoc is not None:
        candidates.append(str(Path(pypandoc.__file__).parent / "files" / "pandoc"))
    if shutil.which("pandoc"):
        candidates.append(shutil.which("pandoc"))
    seen = []
    for program in candidates:
        if not (Path(program).is_file() and os.access(program, os.X_OK)):
            continue
        version = pandoc_version(program)
        if version == PANDOC_VERSION:
            return program, ""
        seen.append(f"{program} is pandoc {version or '(unknown)'}")
    found = "; ".join(seen) or "no pandoc found ($PANDOC, pypandoc-binary, PATH)"
    return None, (
        f"the oracle was made with pandoc {PANDOC_VERSION}, whose citeproc output other versions "
        f"do not reproduce, and {found}: `pip install pypandoc-binary==1.17` (the pin in "
        "requirements-dev.txt) provides it"
    )


@pytest.mark.parametrize("folder", list(GENERATED), ids=["apa-oracle", "apa-extra"])
def test_the_oracle_regenerates_byte_identically(folder: Path, tmp_path: Path) -> None:
    """regenerate.sh on a copy of the folder writes exactly the committed files: nobody
    edited the expected output by hand, and the copy is the oracle its script makes."""
    pandoc, why = find_pandoc()
    if pandoc is None:
        pytest.skip(why)  # the only skip in the suite; see tests/data/apa-oracle/PROVENANCE.md
    work = tmp_path / folder.name
    work.mkdir()
    for name in SCRIPTS:
        shutil.copy2(ORACLE / name, work / name)
    for name in ["corpus.bib", "intext.tsv"]:
        shutil.copy2(folder / name, work / name)
    env = {**os.environ, "PANDOC": pandoc}
    result = subprocess.run(["bash", str(work / "regenerate.sh")], capture_output=True,
                            text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    for name in GENERATED[folder]:
        assert (work / name).read_bytes() == (folder / name).read_bytes(), f"{folder.name}/{name}"
