"""What the two library doors (:mod:`.bibtex27`, :mod:`.pybtex026`) share: reading the
installed version of the library and saying, when it is not the one a door was written
against, why the magazine stops and what to do."""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING

from sphinx.errors import ExtensionError

if TYPE_CHECKING:
    from collections.abc import Callable


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None if it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def refusal(distribution: str, installed: str | None, supported: tuple[str, ...],
            door: str, risk: str) -> str:
    """Why the magazine does not start with ``installed``, and what to do: ``door`` is the
    module's path, ``risk`` what another version could do."""
    found = f"{distribution} {installed} is installed" if installed else \
        f"{distribution} is not installed"
    wanted = " or ".join(supported)
    return (
        f"{found}, but the magazine uses its internals as written for version {wanted} "
        f"({door}); {risk}. Install the version it was written for "
        f"(pip install '{distribution}=={supported[-1]}', as requirements.txt pins it), or "
        f"read each use in {door} against {installed or 'the new version'}'s "
        f"source and add it to SUPPORTED there."
    )


def check_version(installed: str | None, supported: tuple[str, ...],
                  refusal: Callable[[str | None], str]) -> None:
    """Raise ExtensionError, with the door's ``refusal``, unless ``installed`` is supported."""
    if installed not in supported:
        raise ExtensionError(refusal(installed))
