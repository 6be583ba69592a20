"""Text: LaTeX decoded (latexcodec, then pylatexenc), names of periodicals and proceedings in
title case, exporters' braces taken out of titles, a title's own final full stop dropped."""

from __future__ import annotations

import codecs
import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

from ..bibstyle.titles import (
    LOWER_IN_TITLES,
    MINOR_WORDS,
    is_english,
    latex_text,
    sentence_case,
)

if TYPE_CHECKING:
    from .work import Work

#: fields printed in a reference (their LaTeX is decoded and checked)
PRINTED = (
    "title", "subtitle", "booktitle", "maintitle", "journaltitle", "publisher", "institution",
    "organization", "howpublished", "series", "type", "edition", "location", "titleaddon",
)


TITLES = ("title", "booktitle", "maintitle")


PROCEEDINGS_OF_RE = re.compile(r"^(Proceedings\s+of\s+(?:the\s+)?)(.+)$", re.I | re.S)


FONT_SWITCH_RE = re.compile(r"\\(?:em|it|bf|sl|sc|rm|tt|sf|up|itshape|bfseries|scshape|"
                            r"normalfont|upshape|mdseries)\b\s*")


COMMAND_RE = re.compile(r"\\([A-Za-z]+)\b\s*(?:\{\})?")


BRACED_WHOLE_RE = re.compile(r"^\s*\{(?P<inner>.*)\}\s*$", re.S)


# -- LaTeX ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pylatexenc() -> tuple[LatexNodes2Text, object]:
    return LatexNodes2Text(), get_default_latex_context_db()


@lru_cache(maxsize=2048)
def _command(command: str) -> str | None:
    """A text command as characters, by latexcodec, else pylatexenc; None if neither knows."""
    decoded = codecs.decode(command, "ulatex").strip()
    if "\\" not in decoded and decoded not in ("", "{}"):
        return decoded.replace("{}", "")
    converter, database = _pylatexenc()
    spec = database.get_macro_spec(command.lstrip("\\"))  # type: ignore[attr-defined]
    if spec is None or getattr(getattr(spec, "args_parser", None), "argspec", ""):
        return None  # unknown, or a command that takes arguments: not a character
    try:
        text = converter.latex_to_text(command)
    except Exception:  # noqa: BLE001 - a table entry pylatexenc cannot apply is not ours to fix
        return None
    return text or None


def decode_commands(value: str) -> tuple[str, list[str]]:
    """Font switches dropped, and each text command latexcodec leaves as it is decoded with
    pylatexenc; also the commands neither knows."""
    value = re.sub(r"\{\s*\\(?:em|it|bf|sl|sc|rm|tt|sf|itshape|bfseries|scshape)\b\s*",
                   "{", value)
    value = FONT_SWITCH_RE.sub("", value)
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if codecs.decode(f"\\{name}", "ulatex").strip() != f"\\{name}":
            return match.group(0)  # latexcodec (and so the style) decodes it
        decoded = _command(f"\\{name}")
        if decoded is None:
            if name not in ("emph", "textit", "textbf", "textsc", "textrm", "texttt", "url",
                            "mkbibemph", "mkbibitalic", "mbox", "textup", "textsf",
                            "nolinkurl", "href", "and", "relax", "ensuremath", "noopsort"):
                unknown.append(f"\\{name}")
            return match.group(0)
        return decoded

    value = COMMAND_RE.sub(replace, value)
    return value, unknown


#: the math a title holds as chemistry or units: subscripts and degrees ("SO$_2$", "$^\circ$C")
MATH_SUBSCRIPT_RE = re.compile(r"\$_\{?([0-9A-Za-z+-]+)\}?\$")


MATH_DEGREE_RE = re.compile(r"\$\^\{?\\circ\}?\$")


#: an HTML character reference, as Crossref's and publishers' pages leave them ("&amp;amp;")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)


def _entities(value: str) -> str:
    """HTML character references decoded, however many times they were escaped; an
    ampersand they stand for is written as LaTeX writes it."""
    for _ in range(4):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return re.sub(r"(?<!\\)&", r"\\&", value)


#: a space before a colon or semicolon (French spacing, library catalogues: "crowd-tasking :
#: deployment"), which English titles do not have
SPACED_COLON_RE = re.compile(r"(?<=\w)\s+([:;])(?=\s)")


#: Mendeley's escape of an escape: ``Work $\\backslash${\\&} Soc.`` for ``Work \\& Soc.``
MENDELEY_BACKSLASH_RE = re.compile(r"\{?\$\\backslash\$\}?\s*(?=\{?\\[&%$#_])")


def latex(work: Work) -> None:
    for name in PRINTED:
        value = work.get(name)
        if "&" in value and ENTITY_RE.search(value):
            value = _entities(value)
            work.set(name, value)
        if "backslash" in value:
            value = MENDELEY_BACKSLASH_RE.sub("", value)
            work.set(name, value)
        if name in TITLES and " :" in value and _english(work):
            value = SPACED_COLON_RE.sub(r"\1", value)
            work.set(name, value)
        if "$" in value:
            value = MATH_DEGREE_RE.sub("\u00b0", MATH_SUBSCRIPT_RE.sub(r"\1", value))
            work.set(name, value)
        if "\\" not in value:
            continue
        if re.search(r"\\(?![A-Za-z@\\{}\"'`^~=.,;:!_$%&#| -])|\\$", value):
            work.report(name, (
                f"'{name}' holds a backslash that starts no LaTeX command; remove it, or "
                "write the command in full"))
        decoded, unknown = decode_commands(value)
        if decoded != value:
            work.set(name, decoded)
        for command in dict.fromkeys(unknown):
            work.report(name, (
                f"the LaTeX command {command} in '{name}' cannot be turned into text; write "
                "the characters it stands for instead"))


# -- names of periodicals and proceedings ---------------------------------------------------


def periodical_case(work: Work) -> None:
    """Only a periodical's name (an @article's journal) takes title case: a @misc's
    "journal" is often a site or a description ("GitHub repository")."""
    if work.type != "article" or "://" in work.get("journaltitle"):
        return
    name = work.get("journaltitle")
    words = re.findall(r"[^\W\d_]+", re.sub(r"\{[^{}]*\}|\\[A-Za-z]+", "", name))
    words = [w for w in words if not (w.isupper() and len(w) > 1)]  # acronyms: "JMRI"
    if len(words) < 2 or any(w[0].isupper() for w in words[1:]):
        return  # one word, or capitals already where the journal puts them
    fixed = title_case(name)
    if fixed == name:
        return
    work.set("journaltitle", fixed)
    work.report("journaltitle", (
        f"the periodical's name '{name}' is not in title case; APA writes a journal's name "
        f"as the journal does: write it as '{fixed}' (capitals that the journal itself does "
        "not use, keep as the journal writes them)"))


def proceedings_case(work: Work) -> None:
    """Proceedings cited without editors are cited like a periodical (APA 10.5), so their
    name is in title case: "symposium on principles of programming languages" as exporters
    lower it is printed "Symposium on Principles of Programming Languages". (With editors
    they are a book, whose title is in sentence case.)"""
    name = work.get("booktitle")
    if work.type not in ("inproceedings", "conference") or not name:
        return
    if work.persons.get("editor"):
        # a book: its title in sentence case, but the conference's name is a proper noun
        # ("Proceedings of the 9th Python in Science Conference"), so it keeps its capitals
        match = PROCEEDINGS_OF_RE.match(name)
        if match and not match.group(2).startswith("{") and \
                re.search(r"\b[A-Z][a-z]", re.sub(r"[{}]", "", match.group(2))):
            work.set("booktitle", f"{match.group(1)}{{{match.group(2)}}}")
        return
    if "{" in name:
        return
    fixed = title_case(name)
    if fixed != name:
        work.set("booktitle", fixed)


def title_case(text: str) -> str:
    """APA title case (6.17) for a periodical name written in lower case: major words and
    words of four letters or more capitalised, minor words lower case unless first or after
    a colon."""
    parts = re.split(r"(\s+|-|\{[^{}]*\})", text)
    out: list[str] = []
    start = True
    for part in parts:
        if not part or part.isspace() or part == "-" or part.startswith("{"):
            out.append(part)
            continue
        lower = part.lower()
        if start or lower not in MINOR_WORDS or len(lower) >= 4:
            part = part[0].upper() + part[1:] if part[0].islower() else part
        start = part.endswith(":")
        out.append(part)
    return "".join(out)


# -- titles ---------------------------------------------------------------------------------


def braced_titles(work: Work) -> None:
    """Braces an exporter put around a whole title-case title, or around each of its
    capitalised words (Zotero's habit), protect nothing: they are taken out so that the
    title is set in sentence case, and reported, since the proper nouns among those words
    can only be marked by the contributor. The same holds for a book's title (``booktitle``)."""
    if not _english(work):
        return  # braces change nothing where sentence case is not applied
    for name in ("title", "booktitle"):
        _unbrace_title(work, name)


#: the small words that show a title's language when no ``langid`` says it: a title with two
#: of one language's and none of English's is in that language (biblatex's names)
FUNCTION_WORDS = {
    "ngerman": frozenset({"der", "die", "das", "des", "dem", "den", "und", "für", "mit", "von",
                          "zur", "zum", "im", "ist", "eine", "einer", "eines", "auf", "bei",
                          "über", "aus", "nach", "sowie"}),
    "french": frozenset({"le", "la", "les", "des", "du", "et", "pour", "dans", "une", "sur",
                         "avec", "aux", "au", "entre", "vers", "leur", "leurs"}),
    "spanish": frozenset({"el", "los", "las", "del", "y", "para", "una", "con", "por", "sobre",
                          "entre", "desde", "hacia", "sus"}),
    "italian": frozenset({"il", "lo", "gli", "della", "delle", "dei", "degli", "e", "per", "con",
                          "una", "nel", "nella", "sul", "sulla", "tra"}),
    "portuguese": frozenset({"os", "da", "do", "das", "dos", "e", "para", "em", "uma", "com",
                             "no", "na", "nos", "nas", "pela", "pelo"}),
    "dutch": frozenset({"het", "een", "van", "en", "voor", "met", "op", "naar", "bij", "uit",
                        "tussen", "door"}),
}


ENGLISH_WORDS = frozenset({"the", "of", "and", "in", "for", "to", "on", "with", "a", "an",
                           "from", "by", "is", "at", "are", "its", "their", "using", "via"})


def title_language(title: str) -> str:
    """The language of a title by its small words ("" for English or when they do not tell)."""
    words = set(re.findall(r"[^\W\d_]+", title.lower()))
    if words & ENGLISH_WORDS:
        return ""
    found = [(len(words & small), name) for name, small in FUNCTION_WORDS.items()]
    count, name = max(found)
    if count < 2 or sum(1 for c, _ in found if c == count) > 1:
        return ""  # too few, or as many for two languages
    return name


def languages(work: Work) -> None:
    """A title in another language, with no ``langid`` to say so, is marked with its
    language, so that it keeps its capitals (sentence case is English's, APA 6.17)."""
    if work.get("langid") or work.get("hyphenation") or work.get("language"):
        return
    language = title_language(work.get("title"))
    if language:
        work.set("langid", language)


def _english(work: Work) -> bool:
    """Whether the entry's title is in English, as the style decides it (langid)."""
    return is_english(work.get("langid") or work.get("hyphenation") or work.get("language"))


def final_stops(work: Work) -> None:
    """A title's own final full stop ("... profiles.") is the style's to write: dropped, so
    that none stands before "(pp. 3-9)" or a description."""
    for name in ("title", "booktitle"):
        value = work.get(name)
        stripped = value.rstrip("} ")
        if stripped.endswith(".") and not stripped.endswith("..") and \
                not re.search(r"(?:\b[A-Za-z]|\.[A-Za-z]+|\bal|\bInc|\bLtd|\bCo)\.$", stripped) \
                and not _abbreviated(stripped):
            cut = len(stripped) - 1
            work.set(name, value[:cut] + value[cut + 1:])


#: a word shortened with a full stop inside a name ("IEEE Trans. Mob. Comput.")
ABBREVIATION_RE = re.compile(r"\b[A-Z][a-z]{0,5}\.(?=\s)")


def _abbreviated(value: str) -> bool:
    """Whether a name is written in abbreviations, so that its last full stop is the last
    abbreviation's ("Proc. 19th ACM Conf. Comput.")."""
    return bool(re.search(r"\b[A-Z][a-z]{0,5}\.$", value)) and \
        len(ABBREVIATION_RE.findall(value)) >= 1


def _unbrace_title(work: Work, name: str) -> None:
    value = work.get(name)
    what = "title" if name == "title" else "book's title"
    match = BRACED_WHOLE_RE.match(value)
    if match and _one_group(value):
        inner = match.group("inner").strip()
        if BRACED_WHOLE_RE.match(inner) and _one_group(inner):
            inner = BRACED_WHOLE_RE.match(inner).group("inner").strip()  # {{...}}
        words = re.findall(r"[^\W\d_]+", inner)
        acronyms = [w for w in words if w.isupper() and len(w) > 1]
        if len(words) <= 6 and 2 <= len(acronyms) < len(words) and _title_case(inner):
            return  # a short name of acronyms and capitals ("IBM SPSS Statistics for Windows")
        if len(inner.split()) >= 2 and len(words) >= 2:  # one braced token (a name) stays
            if not _title_case(inner):
                # written in sentence case already: its capitals are names, kept as they are
                inner = re.sub(r"(?<=[\s(\-])([A-Z][a-z]+)\b", r"{\1}", inner)
            work.set(name, inner)
            work.report(name, (
                f"the {what} is wrapped whole in braces, which would keep every capital, so "
                "it is set in sentence case without them: brace only its proper nouns and "
                "acronyms, as in '{DNA} repair in {E}scherichia coli'"))
        return
    if _each_word_braced(value):
        work.set(name, LETTER_BRACE_RE.sub(r"\1", WORD_BRACES_RE.sub(
            r"\1", PHRASE_BRACES_RE.sub(_unbrace_phrase, value))))
        work.report(name, (
            f"every capitalised word of the {what} is in braces (as Zotero exports a "
            "title-case title), so the braces are taken out and it is set in sentence case: "
            "brace only its proper nouns and acronyms, as in 'Evidence for predictive coding "
            "in {Broca}'s area'"))


WORD_BRACES_RE = re.compile(r"\{([A-Z][a-z]+(?:-[A-Za-z]+)*)\}")


#: the first letter of a word braced (JabRef's and hand-written BibTeX's "{C}omputing")
LETTER_BRACE_RE = re.compile(r"\{([A-Z])\}(?=[a-z])")


#: Better BibTeX's double braces around each run of capitalised words: {{Step-by-Step Guide}}
PHRASE_BRACES_RE = re.compile(r"\{\{([^{}]*)\}\}")


CAPITALISED_RE = re.compile(r"^[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*[:,.;?!]?$")


def _unbrace_phrase(match: re.Match[str]) -> str:
    """A double-braced run of capitalised words loses its braces; an acronym, a mixed-case
    name or a single letter in it ({{R}}, {{RStudio}}, {{SAMR Model}}) keeps a pair."""
    words = match.group(1).split(" ")
    return " ".join(w if not w or CAPITALISED_RE.match(w) or w.lower() in MINOR_WORDS
                    else "{" + w + "}" for w in words)


def _title_case(text: str) -> bool:
    """Whether most major words after the first start with a capital."""
    words = [w for w in re.findall(r"[^\W\d_][^\s{}]*", text)[1:]
             if w.lower() not in LOWER_IN_TITLES]
    capitals = [w for w in words if w[0].isupper()]
    return len(words) >= 2 and len(capitals) >= 0.6 * len(words)


def _each_word_braced(title: str) -> bool:
    """Whether each major word after the first is a capitalised word in braces of its own
    (``Evidence for {Predictive} {Coding} in {Human} {Auditory} {Cortex}``), or in a
    double-braced run (``A {{Step-by-Step Guide}} to {{Exploratory Factor Analysis}}``)."""
    plain = PHRASE_BRACES_RE.sub(lambda m: " ".join("{" + w + "}" for w in m.group(1).split()),
                                 title)
    tokens = re.findall(r"\{[^{}]*\}[^\s{}]*|[^\s{}]+", plain)[1:]
    major = [t for t in tokens if re.sub(r"[{}]", "", t).lower() not in LOWER_IN_TITLES
             and re.search(r"[^\W\d_]", t)]
    braced = [t for t in major if t.startswith("{")]
    return len(major) >= 3 and len(braced) == len(major)


def _one_group(value: str) -> bool:
    """Whether the first brace of ``value`` closes at its end (``{{A} and {B}}`` does,
    ``{A} and {B}`` does not)."""
    depth = 0
    stripped = value.strip()
    for index, char in enumerate(stripped):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index == len(stripped) - 1
    return False


# -- how a title-case title is printed -----------------------------------------------------


#: a capitalised word after a title's first
CAPITAL_INSIDE_RE = re.compile(r"\s[^\W\d_a-z]")


def sentence_case_preview(work: Work) -> None:
    """A title written in title case is printed in sentence case, and only the contributor
    knows which of the words it lowers are names: ``make references`` shows the title as it
    will be printed and the words lowered (a note, never a build's warning)."""
    if not _english(work) or work.type == "periodical":  # a periodical's name: title case
        return
    for name in ("title",):
        value = work.get(name)
        if not value:
            continue
        written = str(latex_text(value))
        if not CAPITAL_INSIDE_RE.search(written):
            continue  # no capitalised word after the first: nothing to lower
        printed = str(sentence_case(latex_text(value)))
        lowered = [w for w, p in zip(re.findall(r"[^\W\d_]+", written),
                                     re.findall(r"[^\W\d_]+", printed), strict=False)
                   if w != p and p.islower()]
        if not lowered:
            continue
        shown = ", ".join(dict.fromkeys(lowered[:6]))
        work.report(name, (
            f"the title is in title case and is printed in sentence case, as '{printed}' "
            f"(lowered: {shown}); brace any of these words that is a name, as in "
            f"'{{{lowered[0]}}}', to keep its capital"), severity="note")
