"""Copy the best screenshots of the role journeys (tests/e2e/test_journey_*.py) and of the phone sweep
(tests/e2e/test_phone_sweep.py) into docs/screenshots/, which the README shows. Run them first; `make screenshots`
does both.

Each picture is re-encoded as an optimised PNG with a 256-colour palette: interface screenshots have few colours,
so they stay sharp at a fraction of the size."""

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "e2e" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"

# Screenshot of a journey, in the order the README shows them.
PUBLISHED = [
    "journey-applicant-error-ar",
    "journey-applicant-submitted-ar",
    "journey-reviewer-scoring-fr",
    "journey-reviewer-done-fr",
    "journey-manager-ranking-en",
    "journey-manager-selection-en",
    "journey-manager-published-en",
    "journey-mentor-log-he",
    "journey-mentor-session-he",
    "journey-participant-grid-pl",
    "journey-participant-statement-pl",
    "phone-grid-ar",
    "phone-dashboard-ar",
]


def publish() -> list[Path]:
    missing = [name for name in PUBLISHED if not (SOURCE / f"{name}.png").exists()]
    if missing:
        sys.exit(f"Run them first (make screenshots); missing: {', '.join(missing)}")
    TARGET.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PUBLISHED:
        path = TARGET / f"{name}.png"
        with Image.open(SOURCE / f"{name}.png") as image:
            image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in publish():
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
