"""Synthetic magazines for the benchmark: N articles citing a bibliography of M entries.

    python benchmarks/generate.py DEST --articles 100 --references 1000 [--bare]

A generated site is the magazine's own configuration and extension (``conf.py``, ``_ext/``,
``_static/``, ``_templates/`` and the front page, copied from this checkout) with generated
``articles/`` and ``references.bib``:

- articles of about 1,000 words of plausible science prose in paragraphs under a few
  headings, with front matter (column, summary, authors with accented names, a date,
  keywords), and 10 citations each: parenthetical and narrative, one with two works, one
  with a page locator. About a third of the citations go to a small set of popular works,
  so that many works are cited by several articles, as in a real archive;
- a bib file with every entry type the APA style knows (and the BibTeX aliases a
  contributor writes), names with accents written both in Unicode and in LaTeX, particles,
  hyphenated given names, group authors and the occasional 21-author paper. Every entry
  passes the magazine's bibliography checks.

``--bare`` writes the same articles with each citation replaced by its in-text form as plain
text, and an empty bib file: the baseline that shows what citations cost.

``--issue-size K`` also files the articles, oldest first, into published issues of K articles
(``issues/1-1.md`` ..., ten issues a volume), each dated by its newest article; their pages
are not recorded: the benchmark lays them out as ``make paginate`` does. ``--issue-size N``
(every article in one issue) is the whole archive as one PDF.

The same arguments always give the same files (a fixed random seed).
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tarfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: what a generated site takes from this checkout
PROJECT_FILES = ("conf.py", "index.md", "_ext", "_static", "_templates")
SEED = 2024
CITATIONS_PER_ARTICLE = 10
POPULAR = 40  # works that many articles cite
COLUMNS = ("News Byte", "Feature", "Interview", "Explainer", "Field Notes")

# -- names -----------------------------------------------------------------------------------

#: (family as written in the bib file, family as printed, given names)
PEOPLE = [
    ("M{\\\"u}ller", "Müller", "Jürgen"), ("Núñez", "Núñez", "María José"),
    ("Ødegaard", "Ødegaard", "Siri"), ("Dvo{\\v{r}}{\\'a}k", "Dvořák", "Antonín"),
    ("{\\\"O}zt{\\\"u}rk", "Öztürk", "Elif"), ("Łukasiewicz", "Łukasiewicz", "Zofia"),
    ("Sánchez-Vidal", "Sánchez-Vidal", "Inés"), ("Nguyễn", "Nguyễn", "Thị Lan"),
    ("Kataoka-Sasaki", "Kataoka-Sasaki", "Yuko"), ("O'Brien", "O'Brien", "Aoife"),
    ("Kowalczyk", "Kowalczyk", "Tomasz"), ("Haraldsdóttir", "Haraldsdóttir", "Guðrún"),
    ("Smith", "Smith", "Jo"), ("Okonkwo", "Okonkwo", "Chinedu"), ("Chen", "Chen", "Li-Jia"),
    ("Fernández", "Fernández", "Ángel"), ("Björklund", "Björklund", "Åsa"),
    ("Papadopoulos", "Papadopoulos", "Eleni"), ("Šimić", "Šimić", "Ivana"),
    ("Rao", "Rao", "Priya"), ("Mbeki", "Mbeki", "Thandiwe"), ("García", "García", "Lucía"),
    ("Tanaka", "Tanaka", "Elly M."), ("Kocsis", "Kocsis", "Jeffery D."),
    ("Lefèvre", "Lefèvre", "Hélène"), ("Åberg", "Åberg", "Nils"), ("Weiß", "Weiß", "Greta"),
    ("Çelik", "Çelik", "Mert"), ("Ivanova", "Ivanova", "Darya"), ("Kim", "Kim", "Min-jun"),
]
#: surnames with a particle: (bib form, printed in text)
PARTICLES = [
    ("van der Berg, Anouk", "Berg"), ("de la Fontaine, Jean", "Fontaine"),
    ("von Humboldt, Alexander", "Humboldt"), ("da Silva, Beatriz", "Silva"),
]
GROUPS = [
    "World Health Organization", "National Academies of Sciences, Engineering, and Medicine",
    "Intergovernmental Panel on Climate Change", "European Space Agency",
]

# -- words -----------------------------------------------------------------------------------

SUBJECTS = [
    "The research team", "A group of ecologists", "Clinicians at the regional hospital",
    "The authors of the new study", "Engineers working on the prototype",
    "A consortium of twelve laboratories", "Field biologists", "The survey’s designers",
    "Two independent groups", "The trial’s investigators", "Astronomers", "Geochemists",
    "Volunteers in a citizen-science project", "The modelling team",
]
VERBS = [
    "measured", "reported", "observed", "compared", "estimated", "tracked", "sequenced",
    "simulated", "surveyed", "mapped", "tested", "re-analysed", "documented", "quantified",
]
OBJECTS = [
    "the rate of nitrogen fixation in alpine soils", "the spread of antibiotic resistance genes",
    "how coral larvae settle on warming reefs", "the stiffness of engineered cartilage",
    "sleep patterns of shift workers", "methane emissions from thawing permafrost",
    "the migration routes of monarch butterflies", "battery degradation over a thousand cycles",
    "the immune response to a nasal vaccine", "groundwater recharge under irrigated fields",
    "the orbit of a faint brown dwarf", "microplastic loads in river sediments",
    "reading fluency in bilingual children", "the yield of drought-tolerant sorghum",
    "protein folding intermediates", "heat stress in urban street trees",
    "the gut microbiome of premature infants", "seismic noise near a dormant volcano",
]
CLAUSES = [
    "after a decade of field work", "in a sample of 214 patients", "across three continents",
    "under controlled laboratory conditions", "using data from a 40-year record",
    "with sensors placed every fifty metres", "in both dry and wet seasons",
    "before and after the intervention", "in a double-blind design",
    "with a method first described in the 1970s", "at a fraction of the usual cost",
]
FINDINGS = [
    "The effect was larger than expected, though the error bars remain wide.",
    "Nothing in the data suggests the trend will reverse soon.",
    "The result held when the analysis was repeated with a stricter threshold.",
    "Several earlier estimates now look too optimistic.",
    "The pattern was clearest in the oldest samples.",
    "That is roughly twice the figure reported a decade ago.",
    "Whether the finding generalises to other regions is still an open question.",
    "The team cautions that correlation here is not causation.",
    "“We did not expect the signal to be this clean,” one of the authors said.",
    "Replication in a larger cohort is already under way.",
    "The cost of the method—once its main drawback—has fallen sharply.",
    "Critics point out that the sample was small… and self-selected.",
]
HEADINGS = [
    "What was measured", "Why it matters", "A closer look at the data", "Open questions",
    "How the study was done", "What comes next", "The wider picture",
]
TITLE_WORDS = [
    "Soil", "Coral", "Cartilage", "Sleep", "Permafrost", "Monarch", "Battery", "Vaccine",
    "Groundwater", "Brown Dwarf", "Microplastic", "Bilingual", "Sorghum", "Protein", "Urban Tree",
    "Microbiome", "Volcano", "Glacier", "Neuron", "Wetland", "Pollinator", "Quantum Dot",
]
TITLE_FORMS = [
    "{a} and {b}: What a New Study Shows", "The Hidden Life of {a}",
    "Rethinking {a} in a Warming World", "{a}, {b} and the Limits of Prediction",
    "How {a} Research Changed Course", "A Second Look at {a}",
]
TOPICS = [
    "nitrogen cycling", "coral recruitment", "tissue engineering", "circadian rhythms",
    "permafrost carbon", "insect migration", "lithium-ion ageing", "mucosal immunity",
    "aquifer recharge", "substellar objects", "sediment pollution", "language acquisition",
    "crop resilience", "protein folding", "urban heat", "neonatal microbiota", "volcano seismology",
]
PLACES = ["the Andes", "Svalbard", "the Great Barrier Reef", "the Sahel", "{Yale}", "Hokkaido",
          "the Baltic Sea", "Patagonia", "{CERN}", "the Mekong Delta"]


# -- bibliography ----------------------------------------------------------------------------


@dataclass
class Work:
    """One bib entry: its key, its text, and how the bare baseline cites it."""

    key: str
    bibtex: str
    cited_as: str  # "Müller & Núñez" or a title
    year: str


@dataclass
class Bibliography:
    works: list[Work] = field(default_factory=list)

    def text(self) -> str:
        header = "% A generated bibliography for the benchmark (benchmarks/generate.py).\n\n"
        return header + "\n".join(w.bibtex for w in self.works)


class _Writer:
    """Entry fields for every type the APA style knows, all passing the bib checks."""

    TYPES = (
        "article", "article", "article", "article", "book", "collection", "incollection",
        "inbook", "inproceedings", "report", "techreport", "thesis", "phdthesis",
        "mastersthesis", "online", "misc", "dataset", "software", "video", "audio", "letter",
    )

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.titles: set[tuple[str, str]] = set()

    def people(self, count: int) -> tuple[list[str], list[str]]:
        """Names as the bib file writes them, and the surnames cited in text."""
        written, cited = [], []
        for index in self.rng.sample(range(len(PEOPLE)), min(count, len(PEOPLE))):
            if self.rng.random() < 0.08:
                form, surname = PARTICLES[index % len(PARTICLES)]
                written.append(form)
                cited.append(surname)
                continue
            bib_family, family, given = PEOPLE[index]
            written.append(f"{bib_family}, {given}")
            cited.append(family)
        return written, cited

    def title(self, index: int, year: str) -> str:
        topic = self.rng.choice(TOPICS)
        form = self.rng.choice((
            "New evidence on {t} from {p}", "{T} revisited", "A long-term study of {t} in {p}",
            "Mechanisms of {t}: A review", "Measuring {t} with low-cost sensors",
            "{T} under changing conditions in {p}", "Why {t} matters for {p}",
        ))
        title = form.format(t=topic, T=topic.capitalize(), p=self.rng.choice(PLACES))
        if (title, year) in self.titles:
            title = f"{title}: Part {index}"
        self.titles.add((title, year))
        return title

    def entry(self, index: int) -> Work:
        rng = self.rng
        kind = self.TYPES[index % len(self.TYPES)]
        year = str(rng.randint(1975, 2024))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        fields: list[tuple[str, str]] = []
        group = kind in ("report", "online", "dataset") and rng.random() < 0.25
        if group:
            name = rng.choice(GROUPS)
            fields.append(("author", "{{" + name + "}}"))
            cited_as = name
        else:
            count = 21 if rng.random() < 0.01 else rng.choice((1, 1, 2, 2, 3, 4, 6))
            written, surnames = self.people(count)
            role = "editor" if kind == "collection" else "author"
            fields.append((role, " and ".join(written)))
            cited_as = surnames[0] if len(surnames) == 1 else (
                f"{surnames[0]} & {surnames[1]}" if len(surnames) == 2 else f"{surnames[0]} et al."
            )
        title = self.title(index, year)
        fields.append(("title", title))
        doi = ("doi", f"10.5555/bench.{index}")
        url = ("url", f"https://example.org/works/{index}")
        date = ("date", f"{year}-{month:02d}-{day:02d}")
        if kind == "article":
            fields += [("journaltitle", rng.choice(("Journal of Applied Ecology", "Nature Plants",
                                                     "Clinical Neurology and Neurosurgery",
                                                     "Physical Review Letters"))),
                       ("volume", str(rng.randint(1, 400))), ("number", str(rng.randint(1, 12))),
                       ("pages", f"{(p := rng.randint(1, 900))}--{p + rng.randint(3, 30)}"),
                       ("year", year), doi]
            if rng.random() < 0.2:
                fields.append(("entrysubtype", "magazine"))
        elif kind in ("book", "inbook"):
            fields += [("publisher", rng.choice(("Academic Press", "Springer", "Éditions Dunod"))),
                       ("year", year)]
            if kind == "inbook":
                fields += [("booktitle", self.title(index + 7, year)), ("pages", "11--39")]
            elif rng.random() < 0.3:
                fields.append(("edition", str(rng.randint(2, 5))))
        elif kind == "collection":
            fields += [("publisher", "Oxford University Press"), ("year", year)]
        elif kind == "incollection":
            editors, _ = self.people(2)
            fields += [("editor", " and ".join(editors)), ("booktitle", self.title(index + 3, year)),
                       ("pages", f"{rng.randint(1, 300)}--{rng.randint(301, 400)}"),
                       ("publisher", "MIT Press"), ("year", year)]
        elif kind == "inproceedings":
            fields += [("booktitle", "Proceedings of the International Conference on Field Methods"),
                       ("pages", f"{rng.randint(1, 90)}--{rng.randint(91, 99)}"), date, doi]
        elif kind in ("report", "techreport"):
            fields += [("institution", "Bureau of Soil Science"), ("number", str(rng.randint(1, 999))),
                       ("year", year), url]
        elif kind in ("thesis", "phdthesis", "mastersthesis"):
            fields += [("institution", rng.choice(("Universität Wien", "University of Toronto"))),
                       ("year", year)]
            if kind == "thesis":
                fields.append(("type", rng.choice(("phdthesis", "mathesis"))))
            if rng.random() < 0.5:
                fields.append(url)
        elif kind == "online":
            fields += [("organization", rng.choice(("YaleNews", "BBC Future", "Quanta Magazine"))),
                       date, url]
        elif kind == "misc":
            fields += [("howpublished", "arXiv"), ("number", f"arXiv:{rng.randint(1000, 2400)}.0{index % 10000:04d}"),
                       ("year", year), url]
        elif kind in ("dataset", "software"):
            fields += [("version", f"{rng.randint(1, 4)}.{rng.randint(0, 9)}"),
                       ("publisher", "Zenodo"), ("year", year), doi]
        elif kind in ("video", "audio"):
            fields += [("publisher", rng.choice(("YouTube", "Science Friday"))), date, url]
        elif kind == "letter":
            fields += [("type", "Personal interview"), date]
        surname = cited_as.split()[0].split("-")[0]
        folded = unicodedata.normalize("NFKD", surname.lower().replace("ø", "o").replace("ł", "l"))
        ascii_name = "".join(c for c in folded if c.isascii() and c.isalpha()) or "work"
        key = f"{ascii_name}{year}{title.split()[0].lower().strip('{}:')}{index}"
        key = "".join(c for c in key if c.isascii() and c.isalnum())
        width = max(len(name) for name, _ in fields)
        body = "".join(f"  {name.ljust(width)} = {{{value}}},\n" for name, value in fields)
        return Work(key, f"@{kind}{{{key},\n{body}}}\n", cited_as, year)


def make_bibliography(count: int, rng: random.Random) -> Bibliography:
    writer = _Writer(rng)
    return Bibliography([writer.entry(index) for index in range(count)])


# -- articles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    keys: tuple[str, ...]
    role: str  # "p" or "t"
    post: str = ""

    def markup(self) -> str:
        target = ",".join(self.keys) + (f"{{{self.post}}}" if self.post else "")
        return f"{{cite:{self.role}}}`{target}`"

    def plain(self, works: dict[str, Work]) -> str:
        parts = [f"{works[k].cited_as}, {works[k].year}" for k in self.keys]
        if self.role == "t":
            work = works[self.keys[0]]
            return f"{work.cited_as} ({work.year})"
        return "(" + "; ".join(parts) + (f", {self.post}" if self.post else "") + ")"


def choose_citations(rng: random.Random, works: list[Work]) -> list[Citation]:
    """10 citations: mostly parenthetical, two narrative, one of two works, one with a page."""
    popular = works[: min(POPULAR, len(works))]
    chosen: list[str] = []
    while len(chosen) < CITATIONS_PER_ARTICLE + 1:
        pool = popular if rng.random() < 0.3 else works
        key = rng.choice(pool).key
        if key not in chosen:
            chosen.append(key)
    citations = [Citation((key,), "p") for key in chosen[:CITATIONS_PER_ARTICLE]]
    citations[2] = Citation((chosen[2], chosen[-1]), "p")
    citations[4] = Citation((chosen[4],), "t")
    citations[7] = Citation((chosen[7],), "t")
    citations[5] = Citation((chosen[5],), "p", f"p. {rng.randint(2, 300)}")
    return citations


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(CLAUSES)}.")


@dataclass(frozen=True)
class Paragraph:
    """Sentences, and where citations go: (sentence index, citation, a verb for narrative)."""

    sentences: tuple[str, ...]
    citations: tuple[tuple[int, Citation, str, str], ...] = ()

    def render(self, cite: object) -> str:
        sentences = list(self.sentences)
        for at, citation, verb, what in self.citations:
            text = cite(citation)  # type: ignore[operator]
            if citation.role == "t":
                sentences[at] = f"{text} {verb} {what}."
            else:
                sentences[at] = sentences[at][:-1] + f" {text}."
        return " ".join(sentences)


def make_paragraph(rng: random.Random, citations: list[Citation]) -> Paragraph:
    count = rng.randint(5, 7) + len(citations)
    sentences = tuple(sentence(rng) if rng.random() < 0.6 else rng.choice(FINDINGS)
                      for _ in range(count))
    places = rng.sample(range(count), len(citations))
    return Paragraph(sentences, tuple(
        (at, citation, rng.choice(VERBS), rng.choice(OBJECTS))
        for at, citation in zip(places, citations)
    ))


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    bare: str
    keys: tuple[str, ...]


def make_article(index: int, rng: random.Random, works: list[Work]) -> Article:
    by_key = {w.key: w for w in works}
    citations = choose_citations(rng, works)
    title = rng.choice(TITLE_FORMS).format(a=rng.choice(TITLE_WORDS), b=rng.choice(TITLE_WORDS))
    column = COLUMNS[index % len(COLUMNS)]
    authors = [f"{given} {family}" for _, family, given in rng.sample(PEOPLE, rng.randint(1, 2))]
    date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    front = "\n".join([
        "---",
        f'title: "{title} ({index})"',
        f"column: {column}",
        f"summary: {sentence(rng)}",
        "authors:",
        *(f"  - {name}" for name in authors),
        f"date: {date}",
        f"keywords: [{rng.choice(TOPICS)}, {rng.choice(TOPICS)}]",
        "---",
        "",
    ])
    # 9 paragraphs under 3 headings, about 1,000 words; the citations spread over them
    where = sorted(rng.choices(range(9), k=CITATIONS_PER_ARTICLE))
    blocks: list[str | Paragraph] = []
    for number in range(9):
        if number in (3, 6):
            blocks.append(f"## {rng.choice(HEADINGS)}")
        mine = [c for w, c in zip(where, citations) if w == number]
        blocks.append(make_paragraph(rng, mine))

    def render(cite: object) -> str:
        body = "\n\n".join(b if isinstance(b, str) else b.render(cite) for b in blocks)
        return front + "\n" + body + "\n"

    keys = tuple(k for c in citations for k in c.keys)
    return Article(f"article-{index:05d}", render(Citation.markup),
                   render(lambda c: c.plain(by_key)), keys)


# -- the site --------------------------------------------------------------------------------


ISSUES_PER_VOLUME = 10
COVER = "/_static/images/spinal-cord-stem-cells.svg"  # copied with _static/


@dataclass(frozen=True)
class Issue:
    stem: str  # 1-2
    articles: tuple[str, ...]  # article names, in the order of the contents


def make_issues(made: list[Article], size: int) -> tuple[Issue, ...]:
    """The articles, oldest first, in issues of ``size``."""
    if size <= 0:
        return ()
    by_date = sorted(made, key=lambda a: (article_date(a), a.name))
    groups = [by_date[i:i + size] for i in range(0, len(by_date), size)]
    return tuple(
        Issue(f"{k // ISSUES_PER_VOLUME + 1}-{k % ISSUES_PER_VOLUME + 1}",
              tuple(a.name for a in group))
        for k, group in enumerate(groups))


def article_date(article: Article) -> str:
    return next(line[6:] for line in article.text.splitlines() if line.startswith("date: "))


def issue_file(issue: Issue, dates: dict[str, str]) -> str:
    volume, number = issue.stem.split("-")
    return "\n".join([
        "---",
        f"volume: {volume}",
        f"number: {number}",
        f"date: {max(dates[name] for name in issue.articles)}",
        f"title: Generated issue {issue.stem}",
        "editors: [The Open Bench editors]",
        "cover:",
        f"  src: {COVER}",
        "  alt: A spinal column in profile with stem cells around it.",
        "  credit: Illustration made for The Open Bench, CC BY 4.0.",
        "status: published",
        "articles:",
        *(f"  - articles/{name}" for name in issue.articles),
        "---",
        "",
        f"The {len(issue.articles)} articles of issue {issue.stem}, oldest first.",
        "",
    ])


@dataclass(frozen=True)
class Site:
    """A generated site and what the benchmark needs to know to edit it."""

    srcdir: Path
    articles: tuple[Article, ...]
    works: tuple[Work, ...]
    bare: bool
    issues: tuple[Issue, ...] = ()

    def article_path(self, article: Article) -> Path:
        return self.srcdir / "articles" / f"{article.name}.md"

    @property
    def bibfile(self) -> Path:
        return self.srcdir / "references.bib"

    def citers(self, key: str) -> list[Article]:
        return [a for a in self.articles if key in a.keys]


def copy_project_files(dest: Path) -> None:
    for name in PROJECT_FILES:
        source = ROOT / name
        if not source.exists():  # an empty folder is not in a clone
            continue
        if source.is_dir():
            shutil.copytree(source, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, dest / name)


def files_of_commit(rev: str, dest: Path, *paths: str) -> None:
    """This repository's files at commit ``rev`` (all, or ``paths``) written into ``dest``;
    ValueError with git's reason if there is no such commit."""
    archive = subprocess.run(["git", "archive", rev, *paths], cwd=ROOT, capture_output=True,
                             check=False)
    if archive.returncode != 0:
        raise ValueError(archive.stderr.decode(errors="replace").strip())
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def differing(ours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The names whose values differ between two listings (or are in one only), sorted."""
    return sorted(name for name in ours.keys() | theirs.keys()
                  if ours.get(name) != theirs.get(name))


def generate(dest: Path, articles: int, references: int, *, bare: bool = False,
             seed: int = SEED, issue_size: int = 0) -> Site:
    """Write a site of ``articles`` articles citing ``references`` entries into ``dest``."""
    if references < CITATIONS_PER_ARTICLE + 1:
        msg = f"a site needs at least {CITATIONS_PER_ARTICLE + 1} references"
        raise ValueError(msg)
    rng = random.Random(seed)
    bibliography = make_bibliography(references, rng)
    made = [make_article(i, rng, bibliography.works) for i in range(articles)]
    dest.mkdir(parents=True, exist_ok=True)
    copy_project_files(dest)
    folder = dest / "articles"
    folder.mkdir(exist_ok=True)
    for article in made:
        (folder / f"{article.name}.md").write_text(article.bare if bare else article.text,
                                                  encoding="utf-8")
    bib = "% An empty bibliography: the bare baseline cites nothing.\n" if bare else (
        bibliography.text()
    )
    (dest / "references.bib").write_text(bib, encoding="utf-8")
    issues = make_issues(made, issue_size)
    dates = {a.name: article_date(a) for a in made}
    if issues:
        (dest / "issues").mkdir(exist_ok=True)
    for issue in issues:
        (dest / "issues" / f"{issue.stem}.md").write_text(issue_file(issue, dates),
                                                          encoding="utf-8")
    return Site(dest, tuple(made), tuple(bibliography.works), bare, issues)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--references", type=int, default=1000)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--issue-size", type=int, default=0,
                        help="file the articles into issues of this many (0: no issues)")
    args = parser.parse_args(argv)
    if args.dest.exists() and any(args.dest.iterdir()):
        parser.error(f"{args.dest} is not empty")
    generate(args.dest, args.articles, args.references, bare=args.bare,
             issue_size=args.issue_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
