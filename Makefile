# The magazine's commands. `make publish` and `make test` do all the set-up themselves.
#
#   make publish   build the web edition (and, once it exists, the PDF edition) into _build/
#   make test      run the test suite
#   make html      web edition only, into _build/html
#   make preview   live-reloading preview for contributors (http://127.0.0.1:8000)
#   make clean     remove _build/
#   make distclean remove _build/ and .venv/

PYTHON     ?= python3
VENV       ?= .venv
BUILDDIR   ?= _build
SPHINXOPTS ?= -W -n --keep-going
PYTEST_ARGS ?=

BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: publish html preview test clean distclean venv

# (Re)create the virtual environment when it is missing or the pinned requirements changed.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer)")'
	@if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys' 2>/dev/null; then \
		rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

publish: html

html: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html

preview: $(STAMP)
	$(BIN)/sphinx-autobuild -b html -n -d $(BUILDDIR)/doctrees-preview --watch _ext . $(BUILDDIR)/preview

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(BUILDDIR)

distclean: clean
	rm -rf $(VENV)
