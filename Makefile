# The magazine's commands. `make publish` and `make test` do all the set-up themselves.
#
#   make publish      build the web and PDF editions aside, then publish both into _build/html
#                     and _build/pdf, only if both built cleanly
#   make test         run the test suite (PYTEST_ARGS="-m 'not browser'": without a browser)
#   make check        the pull-request gate: every problem, with file and line (STRICT=1: also
#                     fail on references no article cites; BASE=<commit>, else MAGAZINE_BASE:
#                     also refuse a published notice removed or altered since that commit)
#   make check-quick  references.bib and front matter only, in a second (the pre-commit hook)
#   make new-article TITLE="..." COLUMN="..."   start an article from the template
#   make new-issue VOLUME=1 NUMBER=2            start an issue (in preparation) from the template
#   make paginate ISSUE=1-2                     lay the issue out and record its articles' pages
#                                               (and DOIs, when conf.py names a DOI prefix)
#   make crossref ISSUE=1-2                     build, check and name the issue's Crossref deposit
#   make references BIB=file.bib [FORMAT=text|html] [ORDER=alphabetical|citation]
#                     print a bib file's reference list in APA 7 (APA's own settings)
#   make reference DOI=10.xxxx/... (or ARXIV=2101.00001)
#                     fetch a work's metadata from doi.org and print its bib entry, checked
#                     (the only command that uses the network; builds never do)
#   make html         web edition only, into _build/html
#   make pdf          PDF edition only, into _build/pdf (and a copy in _build/html/pdf)
#   make jats         JATS files only, into _build/jats (and a copy in _build/html/jats)
#   make preview      live-reloading preview for contributors (http://127.0.0.1:8000)
#   make bench        time builds of generated archives against a bare baseline, and their
#                     issues' PDFs against one whole-archive PDF (SIZES=100x1000 by default;
#                     SIZES=500x5000,1000x10000; SERIAL=1000x2000: other sizes for
#                     the issues, SIZES=none: the issues alone; REPEAT=3)
#   make clean        remove _build/ (make distclean also removes .venv/)
#
# check, check-quick and publish stop a stage (a build, the quick check) that runs past its
# limits, naming the file it was on: TIME_LIMIT=<seconds> and MEMORY_LIMIT=<MB> set both for
# every stage (0: no limit); by default 20 min and 6144 MB a build, 2 min and 1024 MB the
# quick check (or MAGAZINE_TIME_LIMIT and MAGAZINE_MEMORY_LIMIT from the environment).

PYTHON      ?= python3
VENV        ?= .venv
BUILDDIR    ?= _build
SPHINXOPTS  ?= -W -n --keep-going
PYTEST_ARGS ?=
# test processes (pytest-xdist): one per core; TEST_JOBS=0 runs the suite in this process
TEST_JOBS   ?= auto
BIB         ?= references.bib
FORMAT      ?= text
ORDER       ?= alphabetical
SIZES       ?= 100x1000
SERIAL      ?=
REPEAT      ?= 3
TIME_LIMIT  ?=
MEMORY_LIMIT ?=

BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXT    := PYTHONPATH=_ext $(BIN)/python -m
LIMITS  = $(if $(TIME_LIMIT),--time-limit $(TIME_LIMIT)) $(if $(MEMORY_LIMIT),--memory-limit $(MEMORY_LIMIT))

.PHONY: publish html pdf jats preview test check check-quick new-article new-issue paginate crossref references reference bench clean distclean venv

# (Re)create the virtual environment when it is missing or the pinned requirements changed.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer)")'
	@if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys' 2>/dev/null; then \
		rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

publish: $(STAMP)
	$(EXT) magazine.cli.publish --builddir $(BUILDDIR) $(LIMITS)

html: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html

# The edition and one PDF per article (Typst, from the typst wheel: no TeX, offline), then a
# copy inside the web edition, where its pages link to them.
pdf: $(STAMP)
	$(BIN)/sphinx-build -b typst $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/pdf
	rm -rf $(BUILDDIR)/html/pdf && mkdir -p $(BUILDDIR)/html/pdf
	cp $(BUILDDIR)/pdf/*.pdf $(BUILDDIR)/html/pdf/

# One JATS 1.3 file per article (for archives; only with magazine_issn set), then a copy
# inside the web edition, where its pages link to them.
jats: $(STAMP)
	$(BIN)/sphinx-build -b jats $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/jats
	rm -rf $(BUILDDIR)/html/jats && mkdir -p $(BUILDDIR)/html/jats
	cp -r $(BUILDDIR)/jats/. $(BUILDDIR)/html/jats/

preview: $(STAMP)
	$(EXT) magazine.preview --builddir $(BUILDDIR)

# The browser tests need Chromium or Chrome: tests/find_browser.py finds one (MAGAZINE_BROWSER,
# Playwright's, the system's) or, on Debian as root or with sudo -n, apt-get installs chromium,
# else stops with the command to run. It does nothing when PYTEST_ARGS select no browser test
# (PYTEST_ARGS="-m 'not browser'"). The Nu Html Checker (vnu.jar, npm, beside citeproc-js)
# needs Java: tests/find_vnu.py installs Debian's default-jre-headless the same way.
test: $(STAMP)
	@$(BIN)/python tests/find_browser.py --install --if-selected $(PYTEST_ARGS) >/dev/null
	@$(BIN)/python tests/find_citeproc.py --install >/dev/null
	@$(BIN)/python tests/find_vnu.py --install >/dev/null
	$(BIN)/python -m pytest -n $(TEST_JOBS) $(PYTEST_ARGS)

check: $(STAMP)
	$(EXT) magazine.gate.check $(if $(STRICT),--strict) $(if $(BASE),--base $(BASE)) $(LIMITS)

check-quick: $(STAMP)
	$(EXT) magazine.gate.check --quick $(if $(STRICT),--strict) $(LIMITS)

new-article: $(STAMP)
	$(EXT) magazine.cli.newarticle --title "$(TITLE)" --column "$(COLUMN)"

new-issue: $(STAMP)
	$(EXT) magazine.serial.newissue --volume "$(VOLUME)" --number "$(NUMBER)"

paginate: $(STAMP)
	@test -n "$(ISSUE)" || { echo "make paginate ISSUE=1-2 (the issue's volume and number)" >&2; exit 2; }
	$(EXT) magazine.serial.paginate --issue "$(ISSUE)" --builddir $(BUILDDIR)

crossref: $(STAMP)
	@test -n "$(ISSUE)" || { echo "make crossref ISSUE=1-2 (the issue's volume and number)" >&2; exit 2; }
	$(EXT) magazine.registration.crossref --issue "$(ISSUE)" --builddir $(BUILDDIR)

# An editor's check of new references: one entry per paragraph (text, or html with <em> and
# <a>), problems in the file on standard error.
references: $(STAMP)
	@$(EXT) magazine.bibstyle.cli --format $(FORMAT) --order $(ORDER) $(BIB)

reference: $(STAMP)
	@test -n "$(DOI)$(ARXIV)" || { echo "make reference DOI=10.xxxx/... or ARXIV=2101.00001" >&2; exit 2; }
	@$(EXT) magazine.cli.fetchref "$(or $(DOI),$(ARXIV))"

# Generated sites of N articles x M references, in a temporary folder; a table on the
# terminal and the JSON in benchmarks/out/ (see benchmarks/README.md).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --sizes $(SIZES) $(if $(SERIAL),--serial $(SERIAL)) --repeat $(REPEAT)
	$(BIN)/python benchmarks/references.py --repeat $(REPEAT)

clean:
	rm -rf $(BUILDDIR)

distclean: clean
	rm -rf $(VENV)
