"""check: options a lychee user expects, against real servers on 127.0.0.1: accept, headers, user_agent,
--no-cache, redirect chains, invented statuses; and check.exclude validated when talkbuild.yml is read."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from talkbuild.check.external import check_external
from talkbuild.check.report import format_junit
from talkbuild.cli import main
from talkbuild.config import CheckConfig, load_config
from talkbuild.errors import ConfigError, Diagnostic, ManyErrors, Severity, SourceLocation
from talkbuild.models import Reference

from .conftest import Scripted

ProjectFactory = Callable[..., Path]
FAST = CheckConfig(timeout=0.5, retries=2, backoff=0.01, max_backoff=0.3, per_host_interval=0.0,
                   per_host_concurrency=4, max_concurrency=8)
TALK = "---\ntitle: T\nauthor: A\ndate: 2024-01-01\n---\n\n## S\n\ntext\n"


def refs(*urls: str) -> list[Reference]:
    return [Reference("link", url, SourceLocation("talks/a.md", i + 1)) for i, url in enumerate(urls)]


def found(result: object) -> list[tuple[str, str]]:
    return [(d.severity.value, d.code) for d in result.diagnostics]  # type: ignore[attr-defined]


def status(code: int, **headers: str) -> Callable[[str, int], tuple[int, dict[str, str]]]:
    return lambda method, n: (code, dict(headers))


# --- check.exclude is validated on every run ------------------------------------------------------------------

@pytest.mark.parametrize("pattern", [r"^http://127.0.0.1:19720/(a+)+$", r"(x*)*y", r"^https://h/((?:\w+))+!",
                                     r"a|(b+?)*c", r"((a|b)+)+"])
def test_a_repeated_repetition_is_refused_at_its_line_before_it_can_hang_check(
        make_project: ProjectFactory, pattern: str) -> None:
    # (a+)+ against a URL of 40 a's and a '!' ran check --external until it was killed (a trial).
    root = make_project({"talkbuild.yml": f"check:\n  exclude:\n    - '^https://ok\\.example/'\n    - '{pattern}'\n",
                         "talks/t.md": TALK})
    text = CliRunner().invoke(main, ["check", "-C", str(root)])
    assert text.exit_code == 2, text.stderr
    assert f"talkbuild.yml:4: 'check.exclude': {pattern!r} repeats a repetition" in text.stderr
    assert "(a+)+ matches what a+ matches" in text.stderr


@pytest.mark.parametrize("pattern", [r"^https://(www\.)?example\.com/(\w+/)*x$", r"a+b+", r"(ab)+", r"(a+){2}",
                                     r"^https://h/.*", r"(a|b)*"])
def test_ordinary_repetitions_are_accepted(make_project: ProjectFactory, pattern: str) -> None:
    root = make_project({"talkbuild.yml": f"check:\n  exclude:\n    - '{pattern}'\n", "talks/t.md": TALK})
    assert load_config(root).check.exclude == (pattern,)

def test_an_invalid_exclude_regex_is_a_config_error_at_its_line_even_without_external(
        make_project: ProjectFactory, tmp_path: Path) -> None:
    # Before: accepted silently without --external (make check passed), a bare stderr line with it (CI failed).
    root = make_project({"talkbuild.yml": "title: T\ncheck:\n  exclude:\n    - '^https://ok\\.example/'\n"
                                          "    - '(unclosed'\n", "talks/t.md": TALK})
    text = CliRunner().invoke(main, ["check", "-C", str(root)])
    assert text.exit_code == 2
    assert ("talkbuild.yml:5: 'check.exclude': '(unclosed' is not a valid regular expression: missing ), "
            "unterminated subpattern (at character 1)") in text.stderr
    assert "never closed" in text.stderr and "\\(" in text.stderr  # a hint that fits an unclosed parenthesis
    assert "escape literal dots" not in text.stderr
    github = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "github"])
    assert github.exit_code == 2 and github.stdout.startswith("::error file=talkbuild.yml,line=5,")
    report = tmp_path / "r.json"
    as_json = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "json", "-o", str(report)])
    assert as_json.exit_code == 2
    assert [(r["file"], r["line"]) for r in json.loads(report.read_text())] == [("talkbuild.yml", 5)]
    junit = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "junit"])
    assert 'line="5"' in junit.stdout and "(unclosed" in junit.stdout


@pytest.mark.parametrize(("pattern", "hint"), [
    ("a)b", "has no '('"), ("[abc", "never closed"), ("*.pdf", "write \\* to match"),
    ("https://x\\qy", "backslash"),
])
def test_each_kind_of_regex_mistake_gets_its_own_hint(make_project: ProjectFactory, pattern: str, hint: str) -> None:
    root = make_project({"talkbuild.yml": f"check:\n  exclude: [{json.dumps(pattern)}]\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert caught.value.location is not None and caught.value.location.line == 2
    assert hint in (caught.value.hint or "")


# --- accept -------------------------------------------------------------------------------------------------

def test_accept_treats_listed_statuses_as_success(http_server: Callable[..., Scripted], tmp_path: Path) -> None:
    srv = http_server({"/bots": status(403), "/teapot": status(418), "/down": status(503), "/gone": status(404)})
    config = dataclasses.replace(FAST, accept=((403, 403), (418, 418), (500, 599)))
    cache = tmp_path / "c.json"
    result = check_external(refs(*(srv.url(p) for p in ("/bots", "/teapot", "/down", "/gone"))), config, cache_path=cache)
    assert found(result) == [("error", "external-not-found")]
    assert srv.count("/down") == 1, "an accepted 503 is not retried"
    assert srv.count("/bots") == 1, "an accepted answer to HEAD needs no GET to confirm it"
    assert sorted(json.loads(cache.read_text())["entries"]) == sorted(srv.url(p) for p in ("/bots", "/down", "/teapot"))


def test_accept_is_validated_at_its_line(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project({"talkbuild.yml": 'check:\n  accept:\n    - 403\n    - "200..=299"\n    - "299..200"\n'
                                          '    - nope\n'})
    with pytest.raises(ManyErrors) as caught:
        load_config(root)
    assert [(e.location.line if e.location else None) for e in caught.value.errors] == [5, 6]
    good = make_project({"talkbuild.yml": 'check:\n  accept: [200, 403, "200..299", "400..=404"]\n'}, tmp_path / "good")
    assert load_config(good).check.accept == ((200, 200), (403, 403), (200, 298), (400, 404))


# --- user_agent and headers ---------------------------------------------------------------------------------

def test_headers_go_to_their_host_only_and_secrets_come_from_the_environment(
        http_server: Callable[..., Scripted], make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    other = http_server({"/elsewhere": status(200)})
    srv = http_server({"/api": status(200), "/hop": status(302, Location=other.url("/elsewhere"))})
    port = srv.base.rsplit(":", 1)[1]
    monkeypatch.setenv("TALKBUILD_TEST_TOKEN", "s3cret-value")
    root = make_project({"talkbuild.yml": f'check:\n  user_agent: "my-checker/1.0"\n  headers:\n'
                                          f'    "127.0.0.1:{port}":\n      Authorization: "Bearer ${{TALKBUILD_TEST_TOKEN}}"\n'})
    config = dataclasses.replace(load_config(root).check, **{k: getattr(FAST, k) for k in ("timeout", "backoff")})
    result = check_external(refs(srv.url("/api"), srv.url("/hop")), config)
    assert found(result) == []
    sent = {path: headers for path, headers in srv.headers + other.headers}
    assert sent["/api"]["Authorization"] == "Bearer s3cret-value"
    assert sent["/api"]["User-Agent"] == "my-checker/1.0"
    assert "Authorization" not in sent["/elsewhere"], "a redirect to another host does not carry the token"
    assert sent["/elsewhere"]["User-Agent"] == "my-checker/1.0"
    assert "s3cret-value" not in repr(config)  # the config holds the ${VAR}, never the secret


def test_a_header_whose_variable_is_unset_is_not_sent_and_a_note_says_so(
        http_server: Callable[..., Scripted], make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    srv = http_server({"/api": status(200)})
    monkeypatch.delenv("TALKBUILD_TEST_UNSET", raising=False)
    root = make_project({"talkbuild.yml": 'check:\n  headers:\n    "127.0.0.1":\n'
                                          '      Authorization: "Bearer ${TALKBUILD_TEST_UNSET}"\n'})
    result = check_external(refs(srv.url("/api")), dataclasses.replace(load_config(root).check, backoff=0.01))
    assert [(d.severity, d.code, d.location.line) for d in result.diagnostics] == [
        (Severity.INFO, "external-header", 4)]
    assert "TALKBUILD_TEST_UNSET" in result.diagnostics[0].message
    assert "Authorization" not in srv.headers[0][1]


def test_a_header_may_read_only_talkbuild_variables_so_a_pull_request_cannot_send_others_away(
        http_server: Callable[..., Scripted], make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A talkbuild.yml from a pull request names the host and the variable: a reviewer's AWS key must stay home.
    srv = http_server({"/collect": status(200)})
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrFAKEsecret")
    root = make_project({"talkbuild.yml": 'check:\n  headers:\n    "127.0.0.1":\n'
                                          '      X-Aws: "${AWS_SECRET_ACCESS_KEY}"\n'})
    result = check_external(refs(srv.url("/collect")), dataclasses.replace(load_config(root).check, backoff=0.01))
    assert "X-Aws" not in srv.headers[0][1]
    assert all("wJalrFAKEsecret" not in str(v) for v in srv.headers[0][1].values())
    (note,) = result.diagnostics
    assert (note.severity, note.code, note.location.line) == (Severity.WARNING, "external-header", 4)
    assert "${AWS_SECRET_ACCESS_KEY} is not read" in note.message and "wJalr" not in note.message
    assert "TALKBUILD_AWS_SECRET_ACCESS_KEY" in (note.hint or "")


def test_bad_headers_are_config_errors_that_never_show_the_value(make_project: ProjectFactory) -> None:
    root = make_project({"talkbuild.yml": 'check:\n  headers:\n    "github.com":\n      "Bad Name": x\n'
                                          '    "not a host!":\n      X-A: "b"\n'})
    with pytest.raises(ManyErrors) as caught:
        load_config(root)
    assert [(e.location.line if e.location else None) for e in caught.value.errors] == [4, 5]
    root = make_project({"talkbuild.yml": 'check:\n  headers:\n    "github.com":\n      X-Token: "tok\\nen"\n'})
    with pytest.raises(ConfigError) as one:
        load_config(root)
    assert "tok" not in str(one.value)
    root = make_project({"talkbuild.yml": 'check:\n  headers:\n    "github.com": "Bearer ghp_secret"\n'})
    with pytest.raises(ConfigError) as flat:
        load_config(root)
    assert "ghp_secret" not in str(flat.value) and flat.value.location and flat.value.location.line == 3
    root = make_project({"talkbuild.yml": 'check:\n  user_agent: "a\\nb"\n'})
    with pytest.raises(ConfigError, match="'check.user_agent' must be one line of text"):
        load_config(root)
    assert load_config(make_project({"talkbuild.yml": "check:\n  user_agent: 007\n"})).check.user_agent == "007"


# --- what a lychee user expects from the verdicts -------------------------------------------------------------

def test_a_redirect_that_ends_in_404_names_the_chain(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/redir404": status(302, Location="/gone404")})
    result = check_external(refs(srv.url("/redir404")), FAST)
    assert found(result) == [("error", "external-not-found")]
    assert result.diagnostics[0].message == "broken external link: /redir404 → /gone404: 404 Not Found"


def test_status_999_is_one_get_then_the_forbidden_warning(http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/in": status(999)})
    result = check_external(refs(srv.url("/in")), FAST)
    assert found(result) == [("warning", "external-forbidden")]
    assert (srv.count("/in", "HEAD"), srv.count("/in", "GET")) == (1, 1), "not retried like a 5xx"


def test_no_cache_requests_every_link_again(make_project: ProjectFactory,
                                            http_server: Callable[..., Scripted]) -> None:
    srv = http_server({"/ok": status(200)})
    root = make_project({"talks/t.md": TALK + f"\n[a]({srv.url('/ok')})\n",
                         "talkbuild.yml": "check:\n  backoff: 0.01\n  per_host_interval: 0\n"})
    for args in ([], [], ["--no-cache"]):
        assert CliRunner().invoke(main, ["check", "-C", str(root), "--external", *args]).exit_code == 0
    assert srv.count("/ok") == 2  # the second run used the cache, the --no-cache run did not


def test_junit_names_are_unique_and_every_element_has_a_time() -> None:
    same_line = [Diagnostic(Severity.ERROR, "external-not-found", "broken", SourceLocation("talks/a.md", 9), url=u)
                 for u in ("https://a/x", "https://a/y")]
    with_cols = [Diagnostic(Severity.ERROR, "broken-link", "x", SourceLocation("talks/a.md", 3, c)) for c in (1, 9)]
    root = ET.fromstring(format_junit(same_line + with_cols))
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["talks/a.md:3:1: broken-link", "talks/a.md:3:9: broken-link",
                     "talks/a.md:9: external-not-found", "talks/a.md:9: external-not-found #2"]
    assert all(e.get("time") == "0" for e in [root, *root.iter("testsuite"), *root.iter("testcase")])


# --- a header value that cannot be sent: never shown, anywhere --------------------------------------------------

def _every_output(root: Path, tmp_path: Path) -> dict[str, str]:
    """Every report format, the -v log and the link cache of one `check --external` run each."""
    seen: dict[str, str] = {}
    for fmt in ("text", "json", "github", "junit"):
        run = CliRunner().invoke(main, ["-v", "check", "-C", str(root), "--external", "--no-cache", "--format", fmt])
        seen[fmt] = run.stdout + run.stderr
    report = tmp_path / "report.json"
    CliRunner().invoke(main, ["check", "-C", str(root), "--external", "--format", "json", "-o", str(report)])
    seen["report file"] = report.read_text()
    seen["cache"] = (root / ".talkbuild/cache/external-links.json").read_text()
    return seen


def _secret_project(make_project: ProjectFactory, srv: Scripted) -> Path:
    port = srv.base.rsplit(":", 1)[1]
    return make_project({"talkbuild.yml": f'title: T\ncheck:\n  timeout: 2\n  backoff: 0.01\n  headers:\n'
                                          f'    "127.0.0.1:{port}":\n      Authorization: "Bearer ${{TALKBUILD_TRIAL_TOKEN}}"\n',
                         "talks/a.md": TALK + f"\n[api]({srv.url('/api')})\n"})


def test_a_secret_ending_in_a_line_break_is_sent_without_it_and_never_shown(
        http_server: Callable[..., Scripted], make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    # Before: "Invalid header value b'Bearer SEKRIT\n'" in every finding, as a link that is "not a valid URL".
    srv = http_server({"/api": status(200)})
    monkeypatch.setenv("TALKBUILD_TRIAL_TOKEN", "SEKRIT\n")
    root = _secret_project(make_project, srv)
    seen = _every_output(root, tmp_path)
    assert {where for where, text in seen.items() if "SEKRIT" in text} == set()
    assert all("external-invalid" not in text and "external-header" not in text for text in seen.values())
    assert {headers["Authorization"] for _path, headers in srv.headers} == {"Bearer SEKRIT"}


@pytest.mark.parametrize("secret", ["SEK\nRIT", "SEKRIT\n\n", "SEK\x7fRIT\r\n"], ids=["inside", "two", "DEL"])
def test_a_header_value_with_a_control_character_is_not_sent_and_one_finding_names_it_not_its_value(
        http_server: Callable[..., Scripted], make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path, secret: str) -> None:
    srv = http_server({"/api": status(200)})
    monkeypatch.setenv("TALKBUILD_TRIAL_TOKEN", secret)
    root = _secret_project(make_project, srv)
    seen = _every_output(root, tmp_path)
    assert {where for where, text in seen.items() if "SEK" in text or "RIT" in text} == set()
    findings = json.loads(seen["report file"])
    assert [(f["file"], f["line"], f["code"], f["severity"]) for f in findings] == [
        ("talkbuild.yml", 7, "external-header", "warning")]
    assert "Authorization" in findings[0]["message"] and "${TALKBUILD_TRIAL_TOKEN}" in findings[0]["message"]
    assert "line break or another control character" in findings[0]["message"]
    assert all("Authorization" not in headers for _path, headers in srv.headers), "the header is not sent"
    assert srv.count("/api") >= 1, "the link is still checked, without the header"


def test_an_error_text_quoting_a_header_value_never_reaches_a_finding() -> None:
    from talkbuild.check.http import HEADER_REFUSED, FetchError, fetch

    # http.client's own refusal quotes the value; whatever asks for a request, the text is replaced.
    with pytest.raises(FetchError) as caught:
        fetch("http://127.0.0.1:9/", "HEAD", 1.0, {"Authorization": "Bearer SEKRIT\nX-Other: 1"})
    assert "SEKRIT" not in caught.value.detail and caught.value.detail == HEADER_REFUSED


@pytest.mark.parametrize(("written", "shown"), [("true", "'true'"), ("yes", "'yes'"), ("null", "an empty value"),
                                                ("{a: 1}", "a section of keys"), ("2.5", "'2.5'")])
def test_a_wrong_accept_item_is_shown_as_written_in_yaml(make_project: ProjectFactory, written: str, shown: str) -> None:
    # Before: "True is not a status code" (Python's spelling of YAML's `true`).
    root = make_project({"talkbuild.yml": f"check:\n  accept: [403, {written}]\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert str(caught.value).startswith(f"talkbuild.yml:2: 'check.accept': {shown} is not a status code or a range")
    assert "True" not in str(caught.value) and "None" not in str(caught.value)


def test_why_a_header_value_is_not_sent_names_the_real_reason() -> None:
    from talkbuild.check_options import header_value

    assert header_value("Bearer ${TALKBUILD_T}", {"TALKBUILD_T": "tökén"}) == ("Bearer tökén", None)  # Latin-1: sent as is
    _, why = header_value("Bearer ${TALKBUILD_T}", {"TALKBUILD_T": "SEKRIT✓"})
    assert why is not None and "Latin-1" in why and "control character" not in why and "SEKRIT" not in why
    _, why = header_value("Bearer ${TALKBUILD_T}", {"TALKBUILD_T": "SEK\nRIT"})
    assert why is not None and "control character" in why and "SEK" not in why


def test_a_link_with_credentials_in_it_reaches_the_host_after_the_at_sign_as_a_browser_does(
        http_server: Callable[..., Scripted]) -> None:
    # urllib took `user:pw@127.0.0.1` for the host: "host not found (DNS)" for a page that answers.
    srv = http_server({"/ui": status(200)})
    url = srv.url("/ui").replace("http://", "http://user:p%40ss@")
    result = check_external(refs(url), dataclasses.replace(FAST, backoff=0.01))
    assert found(result) == []
    (path, headers), *_ = srv.headers
    assert path == "/ui" and headers["Authorization"] == "Basic dXNlcjpwQHNz"  # base64 of user:p@ss
