"""The licences an article may carry: SPDX id -> (name, deed URL).

Articles are prose and pictures, so the list holds the Creative Commons licences and the
public-domain dedications that magazines use; an id outside it is refused by the front
matter check with the closest known id suggested.
"""

from __future__ import annotations

_CC = "https://creativecommons.org/licenses"

LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("CC BY 4.0", f"{_CC}/by/4.0/"),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", f"{_CC}/by-sa/4.0/"),
    "CC-BY-NC-4.0": ("CC BY-NC 4.0", f"{_CC}/by-nc/4.0/"),
    "CC-BY-NC-SA-4.0": ("CC BY-NC-SA 4.0", f"{_CC}/by-nc-sa/4.0/"),
    "CC-BY-ND-4.0": ("CC BY-ND 4.0", f"{_CC}/by-nd/4.0/"),
    "CC-BY-NC-ND-4.0": ("CC BY-NC-ND 4.0", f"{_CC}/by-nc-nd/4.0/"),
    "CC-BY-3.0": ("CC BY 3.0", f"{_CC}/by/3.0/"),
    "CC-BY-SA-3.0": ("CC BY-SA 3.0", f"{_CC}/by-sa/3.0/"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "PDDL-1.0": ("Public Domain Dedication and License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}
