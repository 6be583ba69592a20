"""The magazine's configuration values (``magazine_*`` in ``conf.py``) and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.config import eval_config_file
from sphinx.errors import ConfigError
from sphinx.util.tags import Tags

from .bibstyle.settings import ORDERS
from .bibstyle.settings import PERSONAL_COMMUNICATIONS as APA_PERSONAL_COMMUNICATIONS
from .gate.boundary import MAX_ARTICLE_BYTES, MAX_BIB_BYTES
from .gate.images import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from .registration.dois import bare_doi, is_doi, issn_problem, pattern_problem

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

#: the allowed values, written once (the APA style's own lists)
BIB_ORDERS = ORDERS
PERSONAL_COMMUNICATIONS = APA_PERSONAL_COMMUNICATIONS


@dataclass(frozen=True)
class Setting:
    """One ``magazine_*`` value of ``conf.py``: its default, what a change makes Sphinx redo
    (``"env"``: read again, ``"html"``: write again, ``""``: nothing), and the values allowed."""

    name: str
    default: Any
    rebuild: str
    types: frozenset[type]
    allowed: tuple[Any, ...] = ()


_STR, _INT, _BOOL, _LIST = (frozenset({str}), frozenset({int}), frozenset({bool}),
                            frozenset({list, tuple}))

#: every value the magazine reads from conf.py, declared here and nowhere else
SETTINGS = (
    Setting("article_dir", "articles", "env", _STR),
    # the issues: one file per issue, issues/<volume>-<number>.md (magazine.serial.issues)
    Setting("issue_dir", "issues", "env", _STR),
    # where page numbers start: at 1 in every issue, or continuing across a volume
    Setting("pagination", "issue", "env", _STR, ("issue", "volume")),
    # the magazine's DOIs (magazine.registration): Crossref's prefix ("": no DOIs, and no
    # page mentions one), and the pattern each article's DOI is made from once its issue is
    # published and paginated; its ISSNs (online, and print if there is a print edition)
    Setting("doi_prefix", "", "env", _STR),
    Setting("doi_pattern", "{prefix}/{magazine}.v{volume}i{number}.{position}", "env", _STR),
    Setting("issn", "", "env", _STR),
    Setting("print_issn", "", "env", _STR),
    # who deposits the DOIs with Crossref (magazine.registration.crossref), and the registrant, the
    # publisher named in each deposit ("": the magazine's name)
    Setting("crossref_depositor", "", "", _STR),
    Setting("crossref_email", "", "", _STR),
    Setting("publisher", "", "", _STR),
    # corrections and retractions (magazine.serial.notices): where the project's repository is, for
    # the links of an article's versions ("": its versions are listed by date only), and its
    # branch; the DOI of the magazine's Crossmark policy page ("": no Crossmark is deposited)
    Setting("repository_url", "", "html", _STR),
    Setting("repository_branch", "main", "html", _STR),
    Setting("crossmark_policy", "", "", _STR),
    Setting("works_cited_title", "Works Cited", "env", _STR),
    Setting("default_license", "CC-BY-4.0", "env", _STR),
    Setting("bib_order", "alphabetical", "env", _STR, BIB_ORDERS),
    Setting("personal_communications", "in-text", "env", _STR, PERSONAL_COMMUNICATIONS),
    # APA 9.27 prints "Article 106565" for an article number (eid); a house style may not
    Setting("article_number_label", True, "env", _BOOL),
    # who an article without authors is credited to on every surface (the page, the tags, the
    # feed, the downloads): a group, such as the editors; "": no one (magazine.web.metadata)
    Setting("house_byline", "", "env", _STR),
    # what search snippets and link previews say of the front page (magazine.web.metadata)
    Setting("description", "", "html", _STR),
    # columns whose articles are news (schema.org NewsArticle); the others are ScholarlyArticle
    Setting("news_columns", ("News Byte",), "html", _LIST),
    # what no article cites fails the gate too (make check STRICT=1)
    Setting("strict_references", False, "env", _BOOL),
    # sizes of content files (magazine.gate.boundary, magazine.gate.images)
    Setting("max_article_bytes", MAX_ARTICLE_BYTES, "env", _INT),
    Setting("max_bib_bytes", MAX_BIB_BYTES, "env", _INT),
    Setting("max_image_bytes", MAX_IMAGE_BYTES, "env", _INT),
    Setting("max_image_pixels", MAX_IMAGE_PIXELS, "env", _INT),
    # the PDF edition (magazine.pdf): output only, never the doctrees
    # make paginate's own: the issues (such as "1-2" or "1-1,1-2") laid out afresh, their
    # records ignored
    Setting("repaginate", "", "", _STR),
    Setting("pdf_paper", "a4", "", _STR),
    Setting("pdf_font_paths", [], "", _LIST),
    Setting("pdf_standards", ["ua-1"], "", _LIST),
    # magazine.speedups: faster builds, the same output
    Setting("speedups", True, "", _BOOL),
    Setting("gc_freeze_at_exit", True, "", _BOOL),
)


@dataclass(frozen=True)
class MagazineConfig:
    """The ``magazine_*`` values, typed: :func:`magazine_config` reads them from a Sphinx
    config (or anything with the same attributes, or conf.py's values as a dict)."""

    article_dir: str
    issue_dir: str
    pagination: str
    doi_prefix: str
    doi_pattern: str
    issn: str
    print_issn: str
    crossref_depositor: str
    crossref_email: str
    publisher: str
    repository_url: str
    repository_branch: str
    crossmark_policy: str
    works_cited_title: str
    default_license: str
    bib_order: str
    personal_communications: str
    article_number_label: bool
    house_byline: str
    description: str
    news_columns: tuple[str, ...]
    strict_references: bool
    max_article_bytes: int
    max_bib_bytes: int
    max_image_bytes: int
    max_image_pixels: int
    repaginate: str
    pdf_paper: str
    pdf_font_paths: tuple[str, ...]
    pdf_standards: tuple[str, ...]
    speedups: bool
    gc_freeze_at_exit: bool


def magazine_config(config: Config | object | dict[str, Any]) -> MagazineConfig:
    """The magazine's values as one typed record; a value not set has its default."""
    def value(setting: Setting) -> Any:  # noqa: ANN401
        name = f"magazine_{setting.name}"
        found = config.get(name, setting.default) if isinstance(config, dict) else \
            getattr(config, name, setting.default)
        return tuple(found) if setting.types is _LIST else found
    return MagazineConfig(**{s.name: value(s) for s in SETTINGS})


def setup(app: Sphinx) -> ExtensionMetadata:
    for setting in SETTINGS:
        app.add_config_value(f"magazine_{setting.name}", setting.default, setting.rebuild,
                             types=setting.types)
    app.connect("config-inited", check_config)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def check_config(app: Sphinx, config: Config) -> None:
    """Refuse values the magazine cannot use, naming the setting and the allowed values."""
    for setting in SETTINGS:
        if setting.allowed:
            _one_of(config, f"magazine_{setting.name}", setting.allowed)
    for name, example in (("magazine_article_dir", "articles"), ("magazine_issue_dir", "issues")):
        folder = getattr(config, name).strip("/")
        if not folder or ".." in folder.split("/"):
            msg = (
                f"{name} = {getattr(config, name)!r} in conf.py must name a "
                f"folder inside the project, such as '{example}'"
            )
            raise ConfigError(msg)
    if config.magazine_issue_dir.strip("/") == config.magazine_article_dir.strip("/"):
        msg = "magazine_issue_dir and magazine_article_dir in conf.py must name two folders"
        raise ConfigError(msg)
    if config.magazine_doi_prefix:
        problem = pattern_problem(config.magazine_doi_pattern, config.magazine_doi_prefix)
        if problem is not None:
            raise ConfigError(problem + " (in conf.py)")
        if not config.magazine_crossref_depositor.strip() or \
                "@" not in config.magazine_crossref_email:
            msg = ("a magazine that registers DOIs deposits them with Crossref: set "
                   "magazine_crossref_depositor (a name) and magazine_crossref_email (an "
                   "address Crossref writes to about the deposits) in conf.py")
            raise ConfigError(msg)
    policy = config.magazine_crossmark_policy.strip()
    if policy and (not config.magazine_doi_prefix or not is_doi(bare_doi(policy))):
        msg = (f"magazine_crossmark_policy = {policy!r} in conf.py must be the DOI of the "
               "magazine's Crossmark policy page (such as 10.5555/crossmark-policy), and "
               "needs magazine_doi_prefix: Crossmark is deposited with the DOIs")
        raise ConfigError(msg)
    url = config.magazine_repository_url.strip()
    if url and not url.startswith("https://"):
        msg = (f"magazine_repository_url = {url!r} in conf.py must be the repository's "
               "https:// address, such as https://github.com/OWNER/REPO")
        raise ConfigError(msg)
    for name in ("magazine_issn", "magazine_print_issn"):
        if getattr(config, name) and (problem := issn_problem(getattr(config, name))):
            msg = f"{name} in conf.py: {problem}"
            raise ConfigError(msg)


def _one_of(config: Config, name: str, allowed: tuple[str, ...]) -> None:
    value = getattr(config, name)
    if value not in allowed:
        choices = " or ".join(repr(a) for a in allowed)
        msg = f"{name} = {value!r} in conf.py is not known; use {choices}"
        raise ConfigError(msg)


def read_conf(confdir: Path) -> dict[str, Any]:
    """The values of ``conf.py`` as written, for the command-line tools that run no build."""
    return eval_config_file(confdir / "conf.py", Tags())
