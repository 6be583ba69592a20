"""Domain data that a parallel reading process sends back without what only the main
process uses.

With ``-j``, Sphinx reads the documents in chunks, each in a forked process that sends the
*whole* environment back, pickled, for the main process to unpickle and merge. The merge
takes from each domain only the parts about the chunk's documents (``merge_domaindata``),
yet every chunk carried the parsed bib file, its check report and the formatted lists: at
500 articles ten chunks of several megabytes each, unpickled one after another in the main
process, which made ``-j auto`` no faster than ``-j 1``.

:func:`main_process_only` wraps a domain's data so that, pickled in any process other than
the one whose build made the domain, the named keys are left out. Pickled by that process
(the environment saved between builds) it is whole, and a plain ``dict``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from . import enabled

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.domains import Domain

class MainProcessData(dict):
    """A domain's data; the keys in :attr:`main_only` stay home when a worker pickles it."""

    main_only: frozenset[str] = frozenset()
    #: the process whose build made the domain: it runs the build and merges the chunks
    #: (recorded per build, not at import: a process may import the extension and fork)
    owner_pid: int = -1

    def __reduce__(self) -> tuple[Any, ...]:
        if os.getpid() == self.owner_pid:
            return (dict, (dict(self),))
        return (dict, ({k: v for k, v in self.items() if k not in self.main_only},))


def main_process_only(domain: Domain, keys: Iterable[str]) -> None:
    """Make ``domain``'s data leave ``keys`` out when a forked reader sends it back."""
    if not enabled(domain.env.config):
        return
    data = MainProcessData(domain.data)
    data.main_only = frozenset(keys)
    data.owner_pid = os.getpid()
    domain.data = domain.env.domaindata[domain.name] = data
