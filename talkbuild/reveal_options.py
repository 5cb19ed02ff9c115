"""reveal-md's `revealOptions:` in a talk's front matter (reveal.js's configuration): what talkbuild's deck can do
the same way is applied, the rest named in one warning. Applied: `slideNumber` (`true`, `'c/t'`, `'h.v'`...: any
format shows the slide's number; `false` none), as `slide_numbers:` when the talk does not set that itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HINT_OTHERS = "talkbuild's deck reads none of reveal.js's other options"
HINT = (HINT_OTHERS + "; so that links shared from the reveal.js deck (#/2, #/2/1) still open their slides, set "
        "slide_addresses: revealjs")
"""The hint for a talk that does not set slide_addresses: revealjs itself (HINT_OTHERS for one that does)."""


@dataclass(frozen=True)
class RevealOptions:
    """What a talk's `revealOptions` come to."""

    slide_numbers: bool | None
    """`slideNumber` as talkbuild's slide_numbers; None when it does not say (or the talk sets its own)."""
    applied: tuple[str, ...]
    ignored: tuple[str, ...]

    def message(self) -> str | None:
        """The warning's text, None when every option was applied."""
        if not self.ignored:
            return None
        applied = f"applied: {', '.join(self.applied)}; " if self.applied else ""
        return f"revealOptions {applied}ignored: {', '.join(self.ignored)}"


def read_reveal_options(value: Any, talk_sets_slide_numbers: bool) -> RevealOptions:
    """`revealOptions: {slideNumber: 'c/t', transition: fade}` read for talkbuild."""
    if not isinstance(value, dict):
        return RevealOptions(None, (), ("revealOptions (not a mapping of options)",) if value else ())
    numbers: bool | None = None
    applied: list[str] = []
    ignored: list[str] = []
    for name, option in value.items():
        name = str(name)
        if name == "slideNumber" and not talk_sets_slide_numbers and isinstance(option, bool | str):
            numbers = option is not False and (not isinstance(option, str) or option.strip().lower() != "false")
            applied.append(f"slideNumber (as slide_numbers: {'true' if numbers else 'false'})")
        elif name == "slideNumber" and talk_sets_slide_numbers:
            ignored.append("slideNumber (the talk sets slide_numbers)")
        else:
            ignored.append(name)
    return RevealOptions(numbers, tuple(applied), tuple(ignored))
