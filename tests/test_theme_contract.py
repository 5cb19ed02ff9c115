"""What a theme may rely on and what talkbuild tells its author: theme.css last, the theme's own pygments.css,
a deck.html without deck.js' hooks, a `{{ static }}` file that is missing, ids shared with slides, every
template error at once, config errors with a code."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from talkbuild.build import build
from talkbuild.cli import main
from talkbuild.codestyle import pygments_css
from talkbuild.config import load_config
from talkbuild.incremental import Builder
from talkbuild.themecheck import GENERATED, STATIC_REF
from talkbuild.themes import builtin_themes_dir

Project = Callable[..., Path]
DEFAULT = builtin_themes_dir() / "default" / "templates"
BASE = (DEFAULT / "base.html").read_text()
DECK = (DEFAULT / "deck.html").read_text()
TALK = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## Logo\n\nHi.\n\n## Other\n\nMore.\n"
BODY = '<body class="{% block body_class %}{% endblock %}">\n'
BASE_FILE = "themes/my/templates/base.html"


def with_logo(attrs: str) -> str:
    """The default base.html with `<img {attrs}>` first in <body>, and the line it is on."""
    assert BODY in BASE
    return BASE.replace(BODY, BODY + f'<img {attrs} alt="Our logo">\n')


def logo_line() -> int:
    return with_logo("").splitlines().index('<img  alt="Our logo">') + 1


def stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_theme_css_is_the_last_stylesheet_of_every_page(make_project: Project) -> None:
    root = make_project({"talkbuild.yml": "theme: my\n", "themes/my/static/theme.css": ":root { }\n", "talks/a.md": TALK,
                         "themes/my/templates/handout.html": "{% extends 'base.html' %}{% block extra_head %}<link rel=\"stylesheet\" href=\"{{ static }}"
                         "print.css\">{% endblock %}{% block body %}{% endblock %}",
                         "themes/my/static/print.css": "", "talks/b.md": TALK.replace("title: T", "title: B\ntheme: alt"),
                         "themes/alt/static/x.css": ""})
    out = build(load_config(root)).out_dir
    assert stylesheets((out / "index.html").read_text())[-1] == "_talkbuild/theme.css"
    assert stylesheets((out / "a/slides/index.html").read_text())[-2:] == ["../../_talkbuild/deck.css",
                                                                          "../../_talkbuild/theme.css"]
    assert stylesheets((out / "a/index.html").read_text())[-2:] == ["../_talkbuild/theme.css", "../_talkbuild/print.css"]
    assert not any("theme.css" in s for s in stylesheets((out / "b/slides/index.html").read_text()))  # alt has none


def test_a_themes_own_pygments_css_is_published_not_the_generated_one(make_project: Project) -> None:
    root = make_project({"themes/my/static/pygments.css": ".highlight { mine: 1 }\n", "talks/a.md": TALK,
                         "talkbuild.yml": "theme: my\n"})
    out = build(load_config(root)).out_dir
    assert (out / "_talkbuild/pygments.css").read_text() == ".highlight { mine: 1 }\n"
    plain = make_project({"talks/a.md": TALK}, root=root.parent / "plain")
    assert (build(load_config(plain)).out_dir / "_talkbuild/pygments.css").read_text() == pygments_css()


def test_a_deck_html_without_the_stage_is_a_warning_at_its_line(make_project: Project) -> None:
    deck = DECK.replace('<main id="tb-stage"', '<main id="stage"')
    root = make_project({"themes/my/templates/deck.html": deck, "talkbuild.yml": "theme: my\n", "talks/a.md": TALK})
    line = deck.splitlines().index('<script src="{{ static }}deck.js"></script>') + 1
    code, output = run("build", "-C", str(root))
    assert code == 0
    found = [ln for ln in output.splitlines() if "[theme-hook]" in ln]
    assert len(found) == 1 and found[0].startswith(f"themes/my/templates/deck.html:{line}: warning[theme-hook]: ")
    assert 'has no element with id="tb-stage"' in found[0] and "talkbuild pdf" in found[0]
    # An id written as a literal expression is that id: no warning.
    (root / "themes/my/templates/deck.html").write_text(DECK.replace('id="tb-stage"', 'id="{{ \'tb-stage\' }}"'))
    assert "[theme-hook]" not in run("build", "-C", str(root))[1]
    # Optional controls may go: no warning for a deck.html without the help dialog or the counter.
    optional = re.sub(r'<dialog id="tb-help".*?</dialog>\n', "", DECK, flags=re.DOTALL).replace('id="tb-counter"', "")
    (root / "themes/my/templates/deck.html").write_text(optional)
    assert "[theme-hook]" not in run("build", "-C", str(root))[1]


def test_a_missing_static_file_is_one_finding_at_the_template_line(make_project: Project) -> None:
    root = make_project({BASE_FILE: with_logo('src="{{ static }}logo.svg"'), "talkbuild.yml": "theme: my\n",
                         "talks/a.md": TALK, "talks/b.md": TALK.replace("title: T", "title: B")})
    where = f"{BASE_FILE}:{logo_line()}"
    code, output = run("build", "-C", str(root))
    assert code == 0 and f"{where}: warning[missing-static]: '{{{{ static }}}}logo.svg' is not a static file" in output
    code, _ = run("check", "-C", str(root), "--format", "json", "-o", str(root / "r.json"))
    findings = json.loads((root / "r.json").read_text())
    assert code == 1
    assert [(f["file"], f["line"], f["code"], f["severity"]) for f in findings] == [
        (BASE_FILE, logo_line(), "missing-static", "error")]
    assert Builder(root).build().warnings[0].format().startswith(f"{where}: warning[missing-static]")
    (root / "themes/my/static").mkdir()
    (root / "themes/my/static/logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert run("check", "-C", str(root))[0] == 0


def test_a_static_file_named_another_way_is_one_finding_at_the_first_page(make_project: Project) -> None:
    root = make_project({BASE_FILE: with_logo('src="{{ static ~ \'logo.svg\' }}"'), "talkbuild.yml": "theme: my\n",
                         "talks/a.md": TALK, "talks/b.md": TALK.replace("title: T", "title: B")})
    run("check", "-C", str(root), "--format", "json", "-o", str(root / "r.json"))
    (finding,) = json.loads((root / "r.json").read_text())
    assert (finding["file"], finding["code"]) == ("_site/404.html", "missing-image")
    assert "linked from 6 pages" in finding["message"] and "theme" in finding["hint"]


def test_a_theme_id_shared_with_a_slide_is_reported_at_the_heading(make_project: Project) -> None:
    root = make_project({BASE_FILE: with_logo('id="logo" src="data:,"'), "talkbuild.yml": "theme: my\n",
                         "talks/a.md": TALK})
    code, output = run("build", "-C", str(root))
    assert code == 0
    assert (f"talks/a.md:7: warning[id-clash]: the slide id 'logo' is also the id of an element of the theme "
            f"({BASE_FILE}:{logo_line()})") in output
    run("check", "-C", str(root), "--format", "json", "-o", str(root / "r.json"))
    found = [(f["file"], f["line"], f["code"], f["severity"]) for f in json.loads((root / "r.json").read_text())]
    assert found == [("talks/a.md", 7, "id-clash", "error")]


def test_check_finds_an_id_given_twice_however_it_was_written(make_project: Project) -> None:
    root = make_project({BASE_FILE: with_logo('id="{{ \'lo\' ~ \'go\' }}" src="data:,"'), "talkbuild.yml": "theme: my\n",
                         "talks/a.md": TALK + "\n<p id=\"twice\">a</p>\n\n<p id=\"twice\">b</p>\n"})
    assert "[id-clash]" not in run("build", "-C", str(root))[1]  # made from a value: only the built page shows it
    run("check", "-C", str(root), "--format", "json", "-o", str(root / "r.json"))
    found = [(f["file"], f["line"], f["code"], f["message"]) for f in json.loads((root / "r.json").read_text())
             if f["code"] == "id-clash"]
    slide = [(file, line, message) for file, line, _, message in found if "'logo'" in message]
    assert [(file, line) for file, line, _ in slide] == [("talks/a.md", 7)]  # the slide: once, at its heading
    assert slide[0][2].startswith("the slide id 'logo' is also the id of another element of its pages (_site/a/")
    # The talk's raw HTML gives an id twice: once, at the slide that writes it (not at each built page).
    twice = [(file, line, message) for file, line, _, message in found if "'twice'" in message]
    assert [(file, line) for file, line, _ in twice] == [("talks/a.md", 11)]
    assert "_site" not in twice[0][2] and "'Other'" in twice[0][2]
    assert len(found) == 2


def test_build_reports_a_talk_template_error_and_an_index_template_error_at_once(make_project: Project) -> None:
    root = make_project({"talkbuild.yml": "theme: my\n", "talks/a.md": TALK,
                         "themes/my/templates/handout.html": "{% extends 'base.html' %}{% block body %}{{ nope_a }}{% endblock %}",
                         "themes/my/templates/index.html": "{% extends 'base.html' %}{% block body %}{{ nope_i }}{% endblock %}"})
    code, output = run("build", "-C", str(root))
    assert code == 1
    assert "themes/my/templates/handout.html:1: error[template]: undefined value: 'nope_a'" in output
    assert "themes/my/templates/index.html:1: error[template]: undefined value: 'nope_i'" in output
    assert output.splitlines()[-1] == "talkbuild: 2 error(s) found; nothing was written"


def test_a_broken_config_has_the_code_config_in_serve_and_checks_reports(make_project: Project) -> None:
    root = make_project({"talkbuild.yml": "title: 'x\n", "talks/a.md": TALK})
    (error,) = Builder(root).build().errors
    assert error.format().startswith("talkbuild.yml:1: error[config]: invalid YAML")
    code, _ = run("check", "-C", str(root), "--format", "json", "-o", str(root / "r.json"))
    assert code == 2 and [f["code"] for f in json.loads((root / "r.json").read_text())] == ["config"]
    code, output = run("build", "-C", str(root))
    assert code == 2 and output.startswith("talkbuild: talkbuild.yml:1: invalid YAML")


INDEX = (DEFAULT / "index.html").read_text()


def test_an_id_only_the_index_template_writes_never_clashes_with_a_slide(make_project: Project) -> None:
    index = INDEX.replace("{% block body %}", '{% block body %}<div id="banner">Hello</div>', 1)
    root = make_project({"themes/my/templates/index.html": index, "talkbuild.yml": "theme: my\n",
                         "talks/a.md": TALK.replace("## Logo", "## Banner")})
    code, output = run("build", "-C", str(root))
    assert code == 0 and "[id-clash]" not in output
    code, output = run("check", "-C", str(root))
    assert code == 0, output


@pytest.mark.parametrize("lines", ['{# <img src="{{ static }}a.svg"> #}\n',
                                   "{% raw %}<code>{{ static }}b.svg</code>{% endraw %}\n",
                                   '{% if false %}<img src="{{ static }}c.svg">{% endif %}\n'])
def test_a_static_name_in_a_comment_raw_or_a_branch_no_page_takes_is_no_finding(make_project: Project,
                                                                                 lines: str) -> None:
    root = make_project({BASE_FILE: BASE.replace(BODY, BODY + lines), "talkbuild.yml": "theme: my\n",
                         "talks/a.md": TALK})
    code, output = run("build", "-C", str(root))
    assert code == 0 and "[missing-static]" not in output
    assert Builder(root).build().warnings == ()
    code, output = run("check", "-C", str(root))
    assert code == 0, output


def test_a_themes_own_base_that_never_links_theme_css_is_a_warning(make_project: Project) -> None:
    old_base = re.sub(r"\{#[^#]*#\}\n\{% if theme_css %\}.*?\{% endif %\}\n", "", BASE, flags=re.DOTALL)
    assert "theme_css" not in old_base
    root = make_project({BASE_FILE: old_base, "themes/my/static/theme.css": ":root { }\n",
                         "talkbuild.yml": "theme: my\n", "talks/a.md": TALK})
    code, output = run("build", "-C", str(root))
    line = old_base.splitlines().index("</head>") + 1
    assert code == 0 and f"{BASE_FILE}:{line}: warning[theme-hook]: the theme has a static/theme.css" in output
    (root / BASE_FILE).write_text(BASE)
    assert "[theme-hook]" not in run("build", "-C", str(root))[1]


def test_every_static_file_the_default_templates_load_exists() -> None:
    # Builds do not check the default theme's own templates (themecheck: they link only its own files): this does,
    # for deck.html's list of the deck viewer's parts above all.
    static = builtin_themes_dir() / "default" / "static"
    linked = {name for page in DEFAULT.glob("*.html") for name in STATIC_REF.findall(page.read_text())}
    assert {"deck.js", "deck-slides.js", "deck.css"} <= linked
    assert sorted(name for name in linked - GENERATED if not (static / name).is_file()) == []
    # deck.html loads every part deck.js starts, and deck.js last.
    listed = re.search(r"var PARTS = \[(.*?)\]", (static / "deck.js").read_text())
    assert listed
    parts = re.findall(r'"([a-z]+)"', listed.group(1))
    scripts = re.findall(r'<script src="\{\{ static \}\}([^"]+)"></script>', DECK)
    assert scripts == [f"deck-{part}.js" for part in parts] + ["deck.js"]
    assert sorted(p.name for p in static.glob("deck*.js")) == sorted(scripts)
