"""Names that contributors choose and that become part of the site's code.

An article's file name becomes its page address, part of every HTML ``id`` and JavaScript
string that Sphinx and the theme write about the page, and a Typst label; a bib key becomes
an HTML ``id`` (``ref-KEY``), a link fragment and a Typst label. Both are held to a small,
documented alphabet, checked before either reaches a page, so that escaping is never the
only thing between a contributor's string and a reader's browser:

- article files: lower-case letters, digits and single hyphens, ``.md`` (``my-article.md``);
- issue files: the volume, a hyphen and the issue's number, ``.md`` (``1-2.md``);
- bib keys: letters, digits and ``_ - : . /`` (the forms Google Scholar, Zotero, Better
  BibTeX, DBLP and doi.org produce), starting with a letter or digit, at most 100 characters;
- the other files and folders of the content (pictures, downloads): letters, digits and
  ``_ - .``, starting with a letter or digit, at most 100 characters; each becomes part of a
  published address and of the page's links to it.
"""

from __future__ import annotations

import re
import unicodedata

ARTICLE_NAME_RULE = "lower-case letters, digits and hyphens, ending in .md"
ARTICLE_STEM_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BIB_KEY_RULE = (
    "letters, digits and _ - : . / only, starting with a letter or digit, at most 100 "
    "characters"
)
BIB_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:./-]{0,99}$")


def slug(text: str) -> str:
    """``text`` in the article-name alphabet: accents dropped, other runs made one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def article_name_problem(filename: str) -> str | None:
    """Why an article's file name cannot be used, with a name that can; None if it is fine."""
    stem, dot, suffix = filename.rpartition(".")
    if dot and suffix == "md" and ARTICLE_STEM_RE.match(stem):
        return None
    suggestion = (slug(stem if dot else filename) or "article") + ".md"
    return (
        f"the file name '{filename}' cannot be used for an article: it becomes the page's "
        f"address, so it may hold only {ARTICLE_NAME_RULE}; rename the file, for example "
        f"to '{suggestion}'"
    )


ISSUE_NAME_RULE = "the volume's number, a hyphen and the issue's number, such as 1-2.md"
ISSUE_STEM_RE = re.compile(r"^([1-9][0-9]{0,3})-([1-9][0-9]{0,3})$")


def issue_name_problem(filename: str) -> str | None:
    """Why an issue's file name cannot be used, with a name that can; None if it is fine."""
    stem, dot, suffix = filename.rpartition(".")
    if dot and suffix == "md" and ISSUE_STEM_RE.match(stem):
        return None
    numbers = [n.lstrip("0") for n in re.findall(r"[0-9]+", stem or filename)][:2]
    suggestion = "-".join(n or "1" for n in numbers) if len(numbers) == 2 else "1-1"
    return (
        f"the file name '{filename}' cannot be used for an issue: it becomes the issue's "
        f"address and names it, so it is {ISSUE_NAME_RULE}; rename the file, for example "
        f"to '{suggestion}.md'"
    )


def bib_key_problem(key: str) -> str | None:
    """Why a bib key cannot be used, with a key that can; None if it is fine."""
    if BIB_KEY_RE.match(key):
        return None
    suggestion = re.sub(r"[^A-Za-z0-9_:./-]+", "", key).lstrip("_:./-")[:100] or "author2024title"
    return (
        f"the key '{key[:60]}' cannot be used: keys become link targets on the page, so they "
        f"may hold only {BIB_KEY_RULE}; change it (and the citations of it), for example to "
        f"'{suggestion}'"
    )


FILE_NAME_RULE = "letters, digits and _ - . only, starting with a letter or digit"
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def file_name_problem(name: str) -> str | None:
    """Why the name of a picture, download or folder of the content cannot be used, with
    one that can; None if it is fine."""
    if FILE_NAME_RE.match(name):
        return None
    stem, dot, suffix = name.rpartition(".")
    base = slug(stem if dot else name) or "file"
    suggestion = f"{base}.{slug(suffix) or 'file'}" if dot and stem else base
    return (
        f"the name '{name[:60]}' cannot be used: it becomes part of the file's published "
        f"address, so it may hold only {FILE_NAME_RULE}; rename it, for example to "
        f"'{suggestion}' (and the paths that name it)"
    )
