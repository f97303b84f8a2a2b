"""What needs a manager's attention in their programs, as short lines with a link and a count.

A minimal version so the program home works: no line yet. `needs_you_lines` is the interface the full version keeps.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    text: str
    url: str
    count: int
    level: str = "info"


def needs_you_lines(user, programs) -> list[Line]:
    return []
