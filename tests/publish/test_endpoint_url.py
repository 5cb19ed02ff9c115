"""An S3 endpoint without http:// or https:// is a usage error naming where it was written, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TALKBUILD = str(Path(sys.executable).parent / "talkbuild")


def talkbuild(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TALKBUILD, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("written", "fixed"), [("127.0.0.1:23470", "http://127.0.0.1:23470"),
                                                ("ftp://127.0.0.1:23470", "http://127.0.0.1:23470"),
                                                ("localhost:8333", "http://localhost:8333")])
def test_a_bad_endpoint_in_talkbuild_yml_names_its_line_and_the_fix(tmp_path: Path, written: str, fixed: str) -> None:
    (tmp_path / "talkbuild.yml").write_text(
        f"title: T\npublish:\n  target: s3://bucket/site\n  endpoint_url: {written}\n", encoding="utf-8")
    for command in (["releases"], ["publish"], ["rollback"], ["verify"], ["prune", "--keep", "3"]):
        done = talkbuild(*command, cwd=tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr and "unreachable" not in done.stderr
        assert f"talkbuild.yml:4: publish.endpoint_url '{written}' is not an http:// or https:// URL" in done.stderr
        assert f"write {fixed}" in done.stderr


@pytest.mark.parametrize("written", ["127.0.0.1:23470", "ftp://127.0.0.1:23470", "http://"])
def test_a_bad_endpoint_option_is_a_usage_error(tmp_path: Path, written: str) -> None:
    (tmp_path / "talkbuild.yml").write_text("publish:\n  target: s3://bucket/site\n", encoding="utf-8")
    done = talkbuild("releases", "--endpoint-url", written, "--json", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"--endpoint-url '{written}' is not an http:// or https:// URL" in done.stderr
    assert '"event": "Error"' in done.stdout


def test_a_good_endpoint_is_accepted(tmp_path: Path) -> None:
    from talkbuild.config import endpoint_url_problem, load_config

    (tmp_path / "talkbuild.yml").write_text("publish:\n  endpoint_url: https://s3.example.org:9000/\n",
                                            encoding="utf-8")
    assert load_config(tmp_path).publish.endpoint_url == "https://s3.example.org:9000/"
    assert endpoint_url_problem("http://127.0.0.1:8333", "x") is None
