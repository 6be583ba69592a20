"""`make reference DOI=...`: a bib entry from doi.org's content negotiation, tested against
answers served from 127.0.0.1 (tests/data/doi-responses/, see its PROVENANCE.md)."""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from conftest import ROOT

from magazine.citations.bibcheck import check_bib_text
from magazine.bibstyle.cli import reference_list
from magazine.bibstyle.settings import APA
from magazine.cli.fetchref import FetchError, parse_identifier

ANSWERS = ROOT / "tests" / "data" / "doi-responses"


class Answers(http.server.BaseHTTPRequestHandler):
    """doi.org, as far as the command sees it: CSL-JSON for the recorded DOIs, else 404."""

    requests: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).requests.append((self.path, self.headers.get("Accept", "")))
        name = self.path.lstrip("/").replace("/", "_") + ".json"
        path = ANSWERS / name
        if self.headers.get("Accept") != "application/vnd.citationstyles.csl+json" or \
                not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.citationstyles.csl+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def resolver() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def make_reference(identifier: str, resolver: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "magazine.cli.fetchref", identifier], capture_output=True,
        text=True, check=False, timeout=60,
        env={"PYTHONPATH": str(ROOT / "_ext"), "MAGAZINE_DOI_RESOLVER": resolver,
             "PATH": "/usr/bin:/bin"},
    )


def test_a_journal_article_from_crossref(resolver: str) -> None:
    result = make_reference("https://doi.org/10.1016/j.clineuro.2021.106565", resolver)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@article{honmou2021intravenous,\n")
    assert "  journaltitle = {Clinical Neurology and Neurosurgery},\n" in result.stdout
    assert "  eid          = {106565},\n" in result.stdout
    assert "  doi          = {10.1016/j.clineuro.2021.106565},\n" in result.stdout
    assert "indexed" not in result.stdout and "elsevier.com/tdm" not in result.stdout
    assert ("/10.1016/j.clineuro.2021.106565", "application/vnd.citationstyles.csl+json") \
        in Answers.requests
    assert check_bib_text(result.stdout).problems == []
    entries, _ = reference_list(result.stdout, APA)
    assert entries == [
        "Honmou, O., Yamashita, T., Morita, T., & Kocsis, J. D. (2021). Intravenous infusion "
        "of auto serum-expanded autologous mesenchymal stem cells in spinal cord injury "
        "patients: 13 case series. Clinical Neurology and Neurosurgery, 203, Article 106565. "
        "https://doi.org/10.1016/j.clineuro.2021.106565"]
    assert "put braces around its proper nouns" in result.stderr


def test_an_arxiv_id_through_its_datacite_doi(resolver: str) -> None:
    result = make_reference("arXiv:1706.03762v5", resolver)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@misc{vaswani2017attention,\n")
    assert re.search(r"^  eprint +\= \{1706\.03762\},$", result.stdout, re.M), result.stdout
    entries, _ = reference_list(result.stdout, APA)
    assert entries == [
        "Vaswani, A., Shazeer, N., & Parmar, N. (2017). Attention is all you need "
        "(arXiv:1706.03762). arXiv. https://doi.org/10.48550/arXiv.1706.03762"]


def test_an_unknown_doi_is_one_line(resolver: str) -> None:
    result = make_reference("10.9999/nothing.here", resolver)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("make reference: doi.org knows no DOI 10.9999/nothing.here; "
                             "check it against the article's page\n")


def test_without_a_network_it_says_so_in_one_line() -> None:
    result = make_reference("10.1016/j.clineuro.2021.106565", "http://127.0.0.1:9/")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("make reference: cannot reach 127.0.0.1:9 (")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("written", "doi"), [
    ("10.1000/xyz", "10.1000/xyz"), ("doi:10.1000/xyz", "10.1000/xyz"),
    ("https://dx.doi.org/10.1000/xyz", "10.1000/xyz"), ("2101.00001", "10.48550/arXiv.2101.00001"),
    ("https://arxiv.org/abs/hep-th/9901001v2", "10.48550/arXiv.hep-th/9901001"),
])
def test_identifiers_however_written(written: str, doi: str) -> None:
    assert parse_identifier(written) == doi


def test_something_else_is_refused() -> None:
    with pytest.raises(FetchError, match="neither a DOI"):
        parse_identifier("not an identifier")
