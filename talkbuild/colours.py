"""Whether a slide's background colour is dark, read at build time: reveal.js adds `has-dark-background` or
`has-light-background` to a slide from its `data-background-color`, so a theme switches the text to light colours
on a dark one; talkbuild does the same when it writes the slide (slide_attributes.py), so the page is the same
with or without JavaScript and from one build to the next.

Dark or light is WCAG 2's: the colour is dark when white text on it has more contrast than black text (its
relative luminance is below 0.179), so the light text the default theme switches to has at least 4.58:1 on it.
reveal.js measures brightness instead ((299 R + 587 G + 114 B) / 1000 < 128), which calls a pure red dark on
which white text has only 4:1. A colour that is partly transparent is judged as it shows over the default
theme's slide background.
"""

from __future__ import annotations

import colorsys
import re

DARK = "has-dark-background"
LIGHT = "has-light-background"
SWITCHES = (DARK, LIGHT)
"""reveal.js's own class names, so a class written by the author (for a background picture) works the same."""

SLIDE_BG = (0xfd, 0xfc, 0xf9)
"""The default theme's slide background (deck.css --tb-slide-bg), behind a partly transparent colour."""

NAMED = {
    "black": "#000000", "white": "#ffffff", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0",
    "dimgray": "#696969", "dimgrey": "#696969", "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9",
    "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3", "gainsboro": "#dcdcdc", "whitesmoke": "#f5f5f5",
    "slategray": "#708090", "darkslategray": "#2f4f4f", "red": "#ff0000", "darkred": "#8b0000",
    "maroon": "#800000", "crimson": "#dc143c", "firebrick": "#b22222", "tomato": "#ff6347", "salmon": "#fa8072",
    "pink": "#ffc0cb", "orange": "#ffa500", "darkorange": "#ff8c00", "gold": "#ffd700", "yellow": "#ffff00",
    "khaki": "#f0e68c", "beige": "#f5f5dc", "ivory": "#fffff0", "linen": "#faf0e6", "wheat": "#f5deb3",
    "tan": "#d2b48c", "brown": "#a52a2a", "chocolate": "#d2691e", "sienna": "#a0522d", "olive": "#808000",
    "green": "#008000", "darkgreen": "#006400", "lime": "#00ff00", "forestgreen": "#228b22", "seagreen": "#2e8b57",
    "teal": "#008080", "darkcyan": "#008b8b", "cyan": "#00ffff", "aqua": "#00ffff", "lightblue": "#add8e6",
    "skyblue": "#87ceeb", "steelblue": "#4682b4", "royalblue": "#4169e1", "blue": "#0000ff",
    "mediumblue": "#0000cd", "darkblue": "#00008b", "navy": "#000080", "midnightblue": "#191970",
    "indigo": "#4b0082", "purple": "#800080", "rebeccapurple": "#663399", "darkviolet": "#9400d3",
    "violet": "#ee82ee", "magenta": "#ff00ff", "fuchsia": "#ff00ff", "lavender": "#e6e6fa",
    "aliceblue": "#f0f8ff", "honeydew": "#f0fff0", "mintcream": "#f5fffa", "snow": "#fffafa",
    "transparent": "#00000000",
}
"""The common CSS colour names; another name (`papayawhip`) is judged neither dark nor light."""

_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?)\((.*)\)")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(%|deg|turn|rad|grad)?")


def parse_colour(text: str) -> tuple[float, float, float, float] | None:
    """A CSS colour as red, green, blue (0 to 255) and alpha (0 to 1); None when it is not one talkbuild reads."""
    value = text.strip().lower()
    value = NAMED.get(value, value)
    if m := _HEX.fullmatch(value):
        digits = m.group(1)
        if len(digits) <= 4:
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
        return (channels[0], channels[1], channels[2], channels[3] / 255 if len(channels) == 4 else 1.0)
    m = _FUNCTION.fullmatch(value)
    if m is None:
        return None
    parts = [p for p in re.split(r"[\s,/]+", m.group(2).strip()) if p]
    numbers = [_NUMBER.fullmatch(p) for p in parts]
    if len(parts) not in (3, 4) or not all(numbers):
        return None
    alpha = _fraction(parts[3]) if len(parts) == 4 else 1.0
    if m.group(1).startswith("rgb"):
        r, g, b = (_channel(p) for p in parts[:3])
        return (r, g, b, alpha)
    hue = _hue(parts[0])
    s, lightness = (_fraction(p) for p in parts[1:3])
    r, g, b = colorsys.hls_to_rgb(hue, lightness, s)
    return (r * 255, g * 255, b * 255, alpha)


def _channel(part: str) -> float:
    value = float(part.rstrip("%")) * (2.55 if part.endswith("%") else 1)
    return min(255.0, max(0.0, value))


def _fraction(part: str) -> float:
    value = float(part.rstrip("%")) / (100 if part.endswith("%") else 1)
    return min(1.0, max(0.0, value))


def _hue(part: str) -> float:
    """A hue as a fraction of the colour wheel."""
    number = float(re.sub(r"(deg|turn|rad|grad)$", "", part))
    if part.endswith("turn"):
        return number % 1
    if part.endswith("rad"):
        return (number / 6.283185307179586) % 1
    if part.endswith("grad"):
        return (number / 400) % 1
    return (number / 360) % 1


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 to 255 a channel)."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2's contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def background_class(colour: str) -> str:
    """`has-dark-background` or `has-light-background` for a slide with this background colour; "" when the
    colour is not one talkbuild reads, or wholly transparent (as reveal.js, which leaves those alone)."""
    parsed = parse_colour(colour)
    if parsed is None or parsed[3] == 0:
        return ""
    r, g, b, alpha = parsed
    under = SLIDE_BG
    shown = (alpha * r + (1 - alpha) * under[0], alpha * g + (1 - alpha) * under[1], alpha * b + (1 - alpha) * under[2])
    return DARK if contrast(shown, (255, 255, 255)) > contrast(shown, (0, 0, 0)) else LIGHT
