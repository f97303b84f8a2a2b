"""Contrast where axe cannot measure it: text over a gradient or stripes, measured at the background's lightest (or,
for dark text, darkest) point, from the colours in the style sheets themselves."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_colour(text: str) -> tuple[int, int, int]:
    return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))


def over(rgba: tuple[int, int, int, float], background) -> tuple[float, ...]:
    *rgb, alpha = rgba
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background, strict=True))


def rule(sheet: str, selector: str) -> str:
    text = (CSS / sheet).read_text()
    return re.search(re.escape(selector) + r"\s*\{([^}]*)\}", text).group(1)


def test_navbar_links_hold_4_5_to_1_on_every_point_of_the_gradient():
    gradient = [hex_colour(c) for c in re.findall(r"#[0-9a-f]{6}", rule("portal.css", ".bg-portal"))]
    gradient += [hex_colour(re.search(r"--portal-primary:\s*(#[0-9a-f]{6})", (CSS / "portal.css").read_text())[1])]
    link = re.search(r"--bs-navbar-color:\s*rgba\((\d+),\s*(\d+),\s*(\d+),\s*([.\d]+)\)",
                     rule("portal.css", ".navbar-dark.bg-portal"))  # fmt: skip
    rgba = (*map(int, link.groups()[:3]), float(link[4]))
    assert min(ratio(over(rgba, stop), stop) for stop in gradient) >= 4.5


def test_the_grids_closed_and_past_labels_hold_4_5_to_1_on_both_stripes():
    text = rule("workspaces.css", ".slot-closed .slot-state, .slot-past .slot-state")
    colour = hex_colour(re.search(r"color:\s*(#[0-9a-f]{6})", text)[1])
    stripes = {hex_colour(c) for c in re.findall(r"#[0-9a-f]{6}", text.split("gradient", 1)[1])}
    assert len(stripes) == 2
    assert min(ratio(colour, stripe) for stripe in stripes) >= 4.5
