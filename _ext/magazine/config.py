"""The magazine's configuration values (``magazine_*`` in ``conf.py``) and their checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.config import eval_config_file
from sphinx.errors import ConfigError
from sphinx.util.tags import Tags

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

BIB_ORDERS = ("alphabetical", "citation")
PERSONAL_COMMUNICATIONS = ("in-text", "listed")


def setup(app: Sphinx) -> ExtensionMetadata:
    # (name, default, rebuild, types)
    app.add_config_value("magazine_edition", "", "env", types=frozenset({str}))
    app.add_config_value("magazine_article_dir", "articles", "env", types=frozenset({str}))
    # the issues: one file per issue, issues/<volume>-<number>.md (magazine.issues)
    app.add_config_value("magazine_issue_dir", "issues", "env", types=frozenset({str}))
    app.add_config_value(
        "magazine_works_cited_title", "Works Cited", "env", types=frozenset({str})
    )
    app.add_config_value(
        "magazine_default_license", "CC-BY-4.0", "env", types=frozenset({str})
    )
    app.add_config_value("magazine_bib_order", "alphabetical", "env", types=frozenset({str}))
    app.add_config_value(
        "magazine_personal_communications", "in-text", "env", types=frozenset({str})
    )
    # APA 9.27 prints "Article 106565" for an article number (eid); a house style may not
    app.add_config_value(
        "magazine_article_number_label", True, "env", types=frozenset({bool})
    )
    # columns whose articles are news (schema.org NewsArticle); the others are ScholarlyArticle
    app.add_config_value(
        "magazine_news_columns", ("News Byte",), "html", types=frozenset({list, tuple})
    )
    app.connect("config-inited", check_config)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def check_config(app: Sphinx, config: Config) -> None:
    """Refuse values the magazine cannot use, naming the setting and the allowed values."""
    _one_of(config, "magazine_bib_order", BIB_ORDERS)
    _one_of(config, "magazine_personal_communications", PERSONAL_COMMUNICATIONS)
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


def _one_of(config: Config, name: str, allowed: tuple[str, ...]) -> None:
    value = getattr(config, name)
    if value not in allowed:
        choices = " or ".join(repr(a) for a in allowed)
        msg = f"{name} = {value!r} in conf.py is not known; use {choices}"
        raise ConfigError(msg)


def read_conf(confdir: Path) -> dict[str, Any]:
    """The values of ``conf.py`` as written, for the command-line tools that run no build."""
    return eval_config_file(confdir / "conf.py", Tags())
