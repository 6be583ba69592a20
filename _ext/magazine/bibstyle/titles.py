"""Text from the bib file: LaTeX to characters, typographic apostrophes, and sentence case.

BibTeX rules kept here: ``{...}`` protects the case of what it holds, but a group that
starts with a command, such as ``{\\'E}`` or ``{\\v{C}}``, is a special character and not
protected. APA rules (6.17, 9.19): titles of works are in sentence case, the first word and
the first word after a colon, question mark, exclamation mark, full stop or a dash between
spaces keep a capital; words written in capitals or in mixed case (DNA, iPhone) and
brace-protected text stay as written; the pronoun "I" stays a capital, and so does any
capital letter standing alone ("in C", "T cells", "700 K") and an abbreviation written with
full stops ("U.S."); words with digits ("3T", "H3K4me3", "v0.8.1"), paths
("pandas-dev/pandas"), months and weekdays stay as written; a title written all in capitals
is read in lower case. A title that is already in sentence case (most of its major words
start in lower case, as Crossref and Google Scholar often give them) keeps its capitals: in
such a title a capital marks a name ("An open-source Python interface"); only a title-case
title has its capitalised words lowered. A title in another language (``langid``) is left as
written, because its capitals follow its own rules.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.richtext import BaseMultipartText, Protected, String, Text

ENGLISH = {
    "", "english", "american", "british", "canadian", "australian", "newzealand",
    "usenglish", "ukenglish", "en", "en-us", "en-gb",
}

_SPECIAL_RE = re.compile(r"\{(\\(?:[a-zA-Z]+|[^a-zA-Z\s{}])\s*(?:\{[^{}]*\}|[a-zA-Z])?)\}")
_FONT_RE = re.compile(
    r"\\(?:emph|textit|textbf|textsc|textrm|texttt|textup|textsf|mkbibemph|mkbibitalic"
    r"|mbox|url|nolinkurl)\s*(?=\{)"
)
_LATEX_RE = re.compile(r"[\\{}~$%&#^_`]|--|''")
_APOSTROPHE_RE = re.compile(r"(?<=\w)'|'(?=\w)|'$")
#: words (letters with the digits they carry: "3T", "H3K4me3"), abbreviations written with
#: full stops ("U.S.", "E.P.A."), numbers, spaces, and single characters
_WORD_RE = re.compile(
    r"[^\W_][\w.-]*/[\w./-]+|(?:[A-Z]\.){2,}|[^\W\d_][^\W_]*|\d[^\W_]*|\s+|.", re.UNICODE)
_ROMAN_ORDINAL = re.compile(r"^[IVXLC]+(?:st|nd|rd|th)$")
#: names that are proper nouns in English wherever they stand ("May" is left out: a verb)
_ALWAYS_CAPITAL = frozenset({
    "January", "February", "March", "April", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday",
})
#: what a unit symbol follows: "700 K", "600°C", "3.0-T"
_UNIT_BEFORE = ("\u00b0", "-")
_SENTENCE_END = ".?!:"
_DASHES = ("\u2013", "\u2014")
_OPENERS = "\"\u201c\u2018([\u00bf\u00a1"


#: the dotless i and j under an accent (``\\'{\\i}``, ``\\"\\i``): latexcodec reads the letter on
#: its own first and then cannot put the accent on it, so the accent goes on the plain letter
_DOTLESS_RE = re.compile(r"(\\(?:[^a-zA-Z\s{}]|[uvHcdbrkt](?![a-zA-Z])))\s*(?:\{\\([ij])\}|\\([ij])(?![a-zA-Z]) ?)")


@lru_cache(maxsize=4096)
def _decode_special(command: str) -> str:
    try:
        decoded = codecs.decode(command, "ulatex")
    except (UnicodeDecodeError, ValueError):
        return command
    return decoded.replace("{", "").replace("}", "")


def _unbrace_special(match: re.Match[str]) -> str:
    decoded = _decode_special(match.group(1))
    return match.group(0) if "\\" in decoded else decoded


def has_latex(text: str) -> bool:
    """Whether a field holds anything that the LaTeX decoder would change."""
    return _LATEX_RE.search(text) is not None


def from_latex(latex: str) -> Text:
    """pybtex's reading of LaTeX as rich text, or, for LaTeX the decoders cannot read (a
    stray backslash, a half command), the text as written without backslashes and braces:
    a field never stops a build (the reading step reports it)."""
    try:
        return Text.from_latex(latex)
    except (UnicodeDecodeError, ValueError, IndexError):
        return Text(re.sub(r"[\\{}]", "", latex))


@lru_cache(maxsize=8192)
def latex_text(latex: str) -> Text:
    """A field's LaTeX as rich text: characters, protected groups, typographic apostrophes."""
    if not has_latex(latex):  # plain text: no need for the LaTeX decoder
        return Text(_typographic(latex))
    if "\\i" in latex or "\\j" in latex:
        latex = _DOTLESS_RE.sub(r"\1{\2\3}", latex)
    prepared = _FONT_RE.sub("", _SPECIAL_RE.sub(_unbrace_special, latex))
    return _map_strings(from_latex(prepared), _typographic)


@lru_cache(maxsize=8192)
def plain_text(latex: str) -> str:
    """A field's LaTeX as plain characters (for names, keys and comparisons)."""
    return str(latex_text(latex))


def _typographic(value: str) -> str:
    return _APOSTROPHE_RE.sub("\u2019", value)


def _map_strings(text: BaseMultipartText, on_string, on_protected=None):  # noqa: ANN001
    """A copy of ``text`` with ``on_string`` applied to the characters of every unprotected
    string, in reading order; protected parts are passed to ``on_protected`` and kept."""
    parts = []
    for part in text.parts:
        if isinstance(part, String):
            part = String(on_string(part.value))
        elif isinstance(part, Protected):
            if on_protected is not None:
                on_protected(part)
        elif isinstance(part, BaseMultipartText):
            part = _map_strings(part, on_string, on_protected)
        parts.append(part)
    return text._create_similar(parts)


def is_english(language: str) -> bool:
    return language.strip().lower() in ENGLISH


def sentence_case(text: Text, language: str = "") -> Text:
    """APA sentence case of a title, or the title as written if it is not in English."""
    if not is_english(language):
        return text
    state = _CaseState()
    plain = str(text)
    letters = [c for c in plain if c.isalpha()]
    # a title written all in capitals holds no acronyms to keep: it is read in lower case
    state.shouting = len(plain.split()) >= 3 and bool(letters) and all(c.isupper() for c in letters)
    # a title already written in sentence case: its capitals mark names ("for Python")
    state.as_written = not state.shouting and written_in_sentence_case(_unprotected(text))
    return _map_strings(text, state.string, state.protected)


#: the small words every title case keeps in lower case: articles, short conjunctions and
#: prepositions (APA 6.17)
SMALL_WORDS = frozenset({
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in",
    "of", "off", "on", "per", "to", "up", "via",
})
#: longer words that other title cases (Chicago's, which exporters follow) keep in lower case
LOWER_IN_OTHER_STYLES = frozenset({
    "with", "from", "into", "onto", "over", "upon", "than", "that", "versus", "vs",
})
#: APA's title case of a periodical's name: the small words, and the particles of names in
#: other languages ("Zeitschrift für ...", "Revue de ...")
MINOR_WORDS = SMALL_WORDS | {"de", "der", "des", "du", "la", "le", "und", "et", "für", "y"}
#: what may be in lower case in a title that is nevertheless in title case (the reading step's
#: test for exporters' braces)
LOWER_IN_TITLES = MINOR_WORDS | LOWER_IN_OTHER_STYLES | {
    "within", "without", "about", "toward", "towards", "through", "among", "between",
    "during", "under", "across", "against", "after", "before", "beyond", "since", "until",
    "along", "around",
}
#: the words a sentence-case title's test leaves out
_TITLE_CASE_MINOR = SMALL_WORDS | LOWER_IN_OTHER_STYLES


def _unprotected(text: Text) -> str:
    """The characters of ``text``, each protected (braced) part standing as one word in
    capitals, which counts for its place but not as a capital of title case."""
    pieces: list[str] = []
    _map_strings(text, lambda value: pieces.append(value) or value,
                 lambda part: pieces.append("PROTECTED"))
    return "".join(pieces)


def written_in_sentence_case(title: str) -> bool:
    """Whether a title is written in sentence case, not title case: most of its major words
    (after each part's first word) start in lower case. Then a capital inside it marks a
    name, and stays."""
    words = []
    title = re.sub(r"PROTECTED[^\s]*", "PROTECTED", title)
    for part in re.split(r"[:?!.]\s|\s[\u2013\u2014]\s", title):
        tokens = re.findall(r"[^\W\d_][^\s]*", part)[1:]
        words += [t for t in tokens if t.lower().strip(",;()\"'") not in _TITLE_CASE_MINOR]
    cased = [w for w in words if w[0].isalpha() and not (w.isupper() and len(w) > 1)]
    if len(cased) < 2:
        return False
    return sum(w[0].isupper() for w in cased) <= 0.4 * len(cased)


class _CaseState:
    """Where the walk through a title is: at a start (of title or subtitle) or inside."""

    def __init__(self) -> None:
        self.at_start = True
        self.pending = False  # saw a subtitle separator, a space makes the next word a start
        self.after_space = False
        self.after_number = False  # the last token was a number, or a degree sign after one
        self.shouting = False
        self.as_written = False

    def string(self, value: str) -> str:
        return _case_string(value, self)

    def protected(self, part: Protected) -> None:
        """Protected text stays as written, but counts as a word (or ends a title part)."""
        content = str(part).rstrip()
        if content:
            self.at_start = False
            self.pending = content[-1] in _SENTENCE_END
            self.after_space = False


def _case_string(value: str, state: _CaseState) -> str:
    out = []
    for token in _WORD_RE.findall(value):
        if token.isspace():
            if state.pending:
                state.at_start, state.pending = True, False
            state.after_space = True
            out.append(token)
            continue
        if token[0].isalpha():
            # a capital letter standing alone is a symbol or a name ("in C", "T cells",
            # "700 K"), never a word to lower, except the article "A"
            unit = len(token) == 1 and token.isupper() and token != "A" and not state.shouting
            if state.shouting:
                token = token.lower()
            token = token if unit or (state.as_written and not state.at_start) else \
                _case_word(token, state.at_start)
            state.at_start = state.pending = state.after_number = False
            state.after_space = False
            out.append(token)
            continue
        number = token[0].isdigit() or (state.after_number and token in _UNIT_BEFORE)
        state.after_number = number
        if number:
            state.at_start = state.pending = False
        elif token in _SENTENCE_END or token == _DASHES[1] or (
            token == _DASHES[0] and state.after_space
        ):
            state.pending = True
        elif token not in _OPENERS:
            state.at_start = state.pending = False
        state.after_space = False
        out.append(token)
    return "".join(out)


def _case_word(word: str, at_start: bool) -> str:
    if any(c.isdigit() for c in word) or word in _ALWAYS_CAPITAL or _ROMAN_ORDINAL.match(word):
        return word  # "v0.8.1", a month or a weekday, "Xth"
    if "/" in word:  # a path ("pandas-dev/pandas"): as written, but a title starts with a capital
        return word[0].upper() + word[1:] if at_start else word
    capitalized = word[0].isupper() and (len(word) == 1 or word[1:].islower())
    if at_start:
        if capitalized or word.islower():
            return word[0].upper() + word[1:]
        return word
    if capitalized and word != "I":
        return word.lower()
    return word
