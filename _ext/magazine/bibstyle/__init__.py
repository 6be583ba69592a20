"""APA 7 reference lists and in-text citations, as pybtex and sphinxcontrib-bibtex plugins.

The modules, each usable without Sphinx except :mod:`.intext`:

- :mod:`.apa7`: the pybtex style, one template per entry type;
- :mod:`.names`, :mod:`.titles`, :mod:`.dates`: names, title case and dates by APA's rules;
- :mod:`.labels`: years with a/b suffixes over a list; :mod:`.sorting`: APA order;
- :mod:`.entries`: entry types, personal communications, who leads an entry;
- :mod:`.intext`: the sphinxcontrib-bibtex referencing style;
- :mod:`.settings`: the house choices (order, personal communications, article numbers);
- :mod:`.cli`: ``make references``, the list of a bib file without a site build;
- :mod:`.lookups`: pybtex's plugins found once, not once per citation.

``setup`` registers one pybtex style and one referencing style per combination of settings
(both libraries build a style by name, with no arguments), and connects:

- ``config-inited``: choose the two styles from ``magazine_bib_order``,
  ``magazine_personal_communications`` and ``magazine_article_number_label``;
- ``env-updated``: entries the style cannot place (an unknown type) become warnings that
  name the entry, its line in the bib file and the fix.

The bib file itself (syntax, missing fields, dates, DOIs) is checked by
:mod:`magazine.citations.bibcheck`, which also keeps pybtex's errors from aborting the build.

Sphinx is imported only here and in :mod:`.intext`, so the command line starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import schedule
from .settings import ApaSettings, all_settings

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

PLUGIN_NAME = "magazine-apa7"


def register_plugins() -> None:
    """Register the styles under their names (registering twice keeps the first), and
    the plugins pybtex looks up while formatting."""
    from pybtex.plugin import register_plugin
    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin

    from .apa7 import Apa7Style
    from .intext import Apa7ReferenceStyle
    from .labels import LabelStyle
    from .lookups import cache_plugins
    from .sorting import SortingStyle

    cache_plugins()

    register_plugin("pybtex.style.labels", PLUGIN_NAME, LabelStyle)
    register_plugin("pybtex.style.sorting", PLUGIN_NAME, SortingStyle)
    for settings in all_settings():
        register_plugin(
            "pybtex.style.formatting", settings.plugin_name, Apa7Style.with_settings(settings)
        )
        register_bibtex_plugin(
            "sphinxcontrib.bibtex.style.referencing",
            settings.plugin_name,
            Apa7ReferenceStyle.with_settings(settings),
        )


def settings_from(config: Config) -> ApaSettings:
    return ApaSettings(
        order=config.magazine_bib_order,
        personal_communications=config.magazine_personal_communications,
        article_number_label=config.magazine_article_number_label,
    )


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: use the APA styles that match the magazine's settings, unless
    conf.py names other styles itself: then its choice stands, and the build says so."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    name = settings_from(config).plugin_name
    written = getattr(config, "_raw_config", {})
    for option in ("bibtex_default_style", "bibtex_reference_style"):
        chosen = written.get(option)
        if chosen is not None and chosen != name:
            logger.info(f"conf.py sets {option} = {chosen!r}: the magazine's APA style "
                        f"({name!r}) is not used there")
            continue
        setattr(config, option, name)


def report_problems(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """``env-updated``: warn about the entries that could not be formatted as APA wants."""
    from ._report import report_entry_problems

    report_entry_problems(app, env)
    return []


def setup(app: Sphinx) -> ExtensionMetadata:
    register_plugins()
    app.connect("config-inited", configure, priority=schedule.STYLE_CONFIG)
    app.connect("env-updated", report_problems, priority=schedule.STYLE_PROBLEMS)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
