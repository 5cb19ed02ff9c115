"""talkbuild: Markdown talks to a static site of decks and handouts, checked and published safely."""

__version__ = "0.1.0"
