"""The workflows (ours and the ones `talkbuild init` writes) are lint-clean, least-privilege and call only make."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import REPO, require

WORKFLOWS = REPO / ".github" / "workflows"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"


def tool(name: str) -> str:
    """A linter installed by the test extra: beside this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    require(found, f"{name} is not installed (pip install -e '.[test]' installs it)")
    assert found
    return found


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflow_sets(scaffold: Path) -> list[tuple[str, Path]]:
    return [("ours", WORKFLOWS), ("init scaffold", scaffold / ".github" / "workflows")]


def files(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.yml"))
    assert found, f"no workflows in {folder}"
    return found


def test_actionlint_is_clean(scaffold: Path) -> None:
    actionlint = tool("actionlint")
    for label, folder in workflow_sets(scaffold):
        done = subprocess.run([actionlint, "-no-color", "-oneline", *map(str, files(folder))],
                              capture_output=True, text=True, cwd=folder.parent.parent)
        assert done.returncode == 0, f"actionlint on {label} workflows:\n{done.stdout}{done.stderr}"


def test_zizmor_offline_is_clean(scaffold: Path) -> None:
    zizmor = tool("zizmor")
    for label, folder in workflow_sets(scaffold):
        done = subprocess.run([zizmor, "--offline", "--no-progress", "--color=never", *map(str, files(folder))],
                              capture_output=True, text=True)
        assert done.returncode == 0, f"zizmor on {label} workflows:\n{done.stdout}{done.stderr}"


def test_linters_catch_what_they_are_here_for(tmp_path: Path) -> None:
    """A workflow with a template injection and an unpinned action must fail both linters (they really run)."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-24.04\n    permissions: {}\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
        "      - run: echo ${{ matrix.nope }}\n", encoding="utf-8")
    assert subprocess.run([tool("actionlint"), str(bad)], capture_output=True, cwd=tmp_path).returncode != 0
    assert subprocess.run([tool("zizmor"), "--offline", "--no-progress", str(bad)], capture_output=True).returncode != 0


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_permissions_are_empty_at_the_top_and_granted_per_job(which: str, scaffold: Path) -> None:
    folder = dict(workflow_sets(scaffold))[which]
    for path in files(folder):
        wf = load(path)
        assert wf.get("permissions") == {}, f"{path.name}: top-level `permissions: {{}}` expected"
        for name, job in wf["jobs"].items():
            perms = job.get("permissions")
            assert isinstance(perms, dict), f"{path.name}: job {name} must declare its permissions"
            allowed = {("contents", "read"), ("id-token", "write")}
            if path.name == "ci.yml" and name == "preview":  # reads its pull request's state (gh pr view)
                allowed.add(("pull-requests", "read"))
            assert set(perms.items()) <= allowed, f"{path.name}: {name}"
            uses = [step.get("uses", "") for step in job["steps"]]
            if perms.get("id-token") == "write":
                assert any(u.startswith(CREDENTIALS_ACTION + "@") for u in uses), \
                    f"{path.name}: {name} asks for an OIDC token it never uses"


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_every_action_is_pinned_by_full_commit_sha(which: str, scaffold: Path) -> None:
    folder = dict(workflow_sets(scaffold))[which]
    for path in files(folder):
        for name, job in load(path)["jobs"].items():
            for step in job["steps"]:
                if "uses" in step:
                    assert SHA_PIN.match(step["uses"]), f"{path.name}: {name}: {step['uses']} is not SHA-pinned"
                    if step["uses"].startswith("actions/checkout@"):
                        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_run_steps_only_call_make_and_never_interpolate_expressions(which: str, scaffold: Path) -> None:
    """No logic lives only in YAML, and no `${{ }}` is pasted into a shell script (template injection)."""
    folder = dict(workflow_sets(scaffold))[which]
    for path in files(folder):
        for name, job in load(path)["jobs"].items():
            for step in job["steps"]:
                script = step.get("run")
                if script is None:
                    continue
                assert "${{" not in script, f"{path.name}: {name}: expression inside run: {script!r}"
                assert re.fullmatch(r"(make [\w-]+( [A-Z_]+=\S+)*|\.ci/run)\s*", script), \
                    f"{path.name}: {name}: run: should call a make target (or .ci/run), not {script!r}"


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_publishing_jobs_are_gated(which: str, scaffold: Path) -> None:
    folder = dict(workflow_sets(scaffold))[which]
    ci = load(folder / "ci.yml")
    jobs = ci["jobs"]
    assert set(ci["on"]) == {"pull_request", "push", "workflow_dispatch"} and ci["on"]["push"]["branches"] == ["main"]
    assert ci["on"]["workflow_dispatch"]["inputs"]["unlock"]["default"] is False, "publishing over a rollback's lock is a choice"
    deploy, preview = jobs["deploy"], jobs["preview"]
    for job in (deploy, preview):
        assert set(job["needs"]) == {"test", "site"}, "publish only after every job is green"
        assert job["concurrency"]["cancel-in-progress"] is False, "a running deploy is never cancelled"
    assert "github.ref == 'refs/heads/main'" in deploy["if"] and "github.event_name == 'push'" in deploy["if"]
    deploy_step = step_running(deploy, "make deploy ")
    assert deploy_step["env"]["UNLOCK"] == "${{ inputs.unlock && '1' || '' }}"
    # Then it says when main moved past what it published (a waiting deploy may have been cancelled).
    behind = deploy["steps"][-1]
    assert behind["run"].strip() == 'make deploy-behind SUMMARY_FILE="$GITHUB_STEP_SUMMARY"'
    assert behind["env"] == {"GH_TOKEN": "${{ github.token }}", "PUBLISHED_SHA": "${{ github.sha }}"}
    assert deploy["environment"] == "live" and deploy["concurrency"]["group"] == "deploy-live"
    assert "github.event.pull_request.head.repo.full_name == github.repository" in preview["if"]
    preview_step = step_running(preview, "make deploy")
    assert preview_step["env"]["CHANNEL"] == "pr-${{ github.event.pull_request.number }}"
    assert "$GITHUB_STEP_SUMMARY" in preview_step["run"]
    site_steps = jobs["site"]["steps"]
    assert any(s.get("run") == "make site CHECK_FORMAT=github" for s in site_steps)
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["path"] == "_site/"
               for s in site_steps)

    cleanup = load(folder / "preview-cleanup.yml")
    assert cleanup["on"]["pull_request"]["types"] == ["closed"]
    job = cleanup["jobs"]["remove-preview"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]
    assert job["steps"][-1]["run"].strip() == "make undeploy"

    rollback = load(folder / "rollback.yml")
    assert "release" in rollback["on"]["workflow_dispatch"]["inputs"]
    step = rollback["jobs"]["rollback"]["steps"][-1]
    assert step["env"]["RELEASE"] == "${{ inputs.release }}", "the release id reaches the shell through env"
    assert rollback["jobs"]["rollback"]["concurrency"]["group"] == "rollback-live"
    # Live only: the job has the deploy role and environment `live`; previews have a role of their own
    # that only pull request jobs can assume. And like every publishing job, nothing runs until set up.
    assert "channel" not in rollback["on"]["workflow_dispatch"]["inputs"] and step["env"]["CHANNEL"] == "live"
    assert rollback["jobs"]["rollback"]["if"] == "vars.TALKBUILD_TARGET != '' && vars.AWS_ROLE_ARN != ''"
    # The edge hook (./sync-edge.sh, run by make deploy/rollback) gets its settings in every switching job.
    for job_step in (deploy_step, preview_step, step):
        assert job_step["env"]["KVS_ARN"] == "${{ vars.TALKBUILD_KVS_ARN }}"
        assert job_step["env"]["DISTRIBUTION_ID"] == "${{ vars.TALKBUILD_DISTRIBUTION_ID }}"

    prune = load(folder / "prune.yml")
    assert prune["on"]["schedule"] and prune["jobs"]["prune"]["steps"][-1]["run"].strip() == "make prune"


def step_running(job: dict[str, Any], command: str) -> dict[str, Any]:
    found = [step for step in job["steps"] if str(step.get("run", "")).startswith(command)]
    assert len(found) == 1, f"one step runs {command!r}"
    return found[0]


def test_test_job_runs_the_supported_python_versions() -> None:
    job = load(WORKFLOWS / "ci.yml")["jobs"]["test"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert job["steps"][-1]["run"].strip() == ".ci/run"
    assert "github" not in (REPO / ".ci" / "run").read_text(encoding="utf-8").lower(), ".ci/run must run anywhere"


def test_scaffold_workflows_match_ours(scaffold: Path) -> None:
    """The scaffold is the same pipeline: same files, jobs, gates, permissions and pinned actions (only the
    test job differs: a talks repository has no Python matrix)."""
    theirs_dir = scaffold / ".github" / "workflows"
    assert [p.name for p in files(theirs_dir)] == [p.name for p in files(WORKFLOWS)]
    for path in files(WORKFLOWS):
        ours, theirs = load(path), load(theirs_dir / path.name)
        assert ours["on"] == theirs["on"] and ours.get("permissions") == theirs.get("permissions")
        assert ours["jobs"].keys() == theirs["jobs"].keys()
        for name in ours["jobs"]:
            if path.name == "ci.yml" and name == "test":
                continue
            # pip's cache is keyed on what each installs from: our pyproject.toml, their requirements.txt.
            assert without_cache_key(ours["jobs"][name]) == without_cache_key(theirs["jobs"][name]), \
                f"{path.name}: job {name} differs"


def without_cache_key(job: dict[str, Any]) -> dict[str, Any]:
    steps = [{**step, "with": {k: v for k, v in step["with"].items() if k != "cache-dependency-path"}}
             if str(step.get("uses", "")).startswith("actions/setup-python@") else step for step in job["steps"]]
    return {**job, "steps": steps}


@pytest.mark.parametrize(("which", "key"), [("ours", "pyproject.toml"), ("init scaffold", "requirements.txt")])
def test_every_setup_python_caches_pip_keyed_on_what_is_installed(which: str, key: str, scaffold: Path) -> None:
    folder = dict(workflow_sets(scaffold))[which]
    seen = 0
    for path in files(folder):
        for name, job in load(path)["jobs"].items():
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("actions/setup-python@"):
                    seen += 1
                    assert step["with"]["cache"] == "pip", f"{path.name}: {name}"
                    assert step["with"]["cache-dependency-path"] == key, f"{path.name}: {name}"
                    assert (folder.parent.parent / key).is_file(), f"{key} must exist for the cache key"
    assert seen >= 7


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_publishing_jobs_see_the_whole_history(which: str, scaffold: Path) -> None:
    """publish's order check needs ancestry; in a shallow clone it refuses (docs/deploy.md, step 4)."""
    jobs = load(dict(workflow_sets(scaffold))[which] / "ci.yml")["jobs"]
    for name in ("deploy", "preview"):
        checkout = next(s for s in jobs[name]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["fetch-depth"] == 0, name


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_deploy_rollback_and_prune_queue_apart_and_never_cancel(which: str, scaffold: Path) -> None:
    """A group keeps one running and one waiting job, and a newly queued one cancels the waiting one: a
    prune or rollback sharing the deploy's group would cancel a waiting deploy of the newest main."""
    folder = dict(workflow_sets(scaffold))[which]
    groups = {
        "deploy": load(folder / "ci.yml")["jobs"]["deploy"]["concurrency"],
        "rollback": load(folder / "rollback.yml")["jobs"]["rollback"]["concurrency"],
        "prune": load(folder / "prune.yml")["jobs"]["prune"]["concurrency"],
    }
    assert {name: c["group"] for name, c in groups.items()} == {
        "deploy": "deploy-live", "rollback": "rollback-live", "prune": "prune-live"}
    assert all(c["cancel-in-progress"] is False for c in groups.values())


@pytest.mark.parametrize("which", ["ours", "init scaffold"])
def test_preview_removes_itself_when_its_pull_request_closed_meanwhile(which: str, scaffold: Path) -> None:
    preview = load(dict(workflow_sets(scaffold))[which] / "ci.yml")["jobs"]["preview"]
    assert preview["permissions"]["pull-requests"] == "read"
    last = preview["steps"][-1]
    assert last["run"].strip() == "make undeploy-if-closed" and last["if"] == "${{ !cancelled() }}"
    assert preview["steps"].index(last) > preview["steps"].index(step_running(preview, "make deploy"))
    env = last["env"]
    assert env["PR_NUMBER"] == "${{ github.event.pull_request.number }}"
    assert env["CHANNEL"] == "pr-${{ github.event.pull_request.number }}"
    assert env["GH_TOKEN"] == "${{ github.token }}" and env["GH_REPO"] == "${{ github.repository }}"
    assert env["TALKBUILD_TARGET"] == step_running(preview, "make deploy")["env"]["TALKBUILD_TARGET"]


def test_scaffold_test_job_annotates_and_the_docs_say_which_python(scaffold: Path) -> None:
    job = load(scaffold / ".github" / "workflows" / "ci.yml")["jobs"]["test"]
    assert job["steps"][-1]["run"].strip() == "make test BUILD_FORMAT=github"
    version = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))["with"]
    assert "strategy" not in job and version["python-version"] == "3.12"
    deploy_doc = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "`test` (Python 3.12 in a repository from `talkbuild init`" in " ".join(deploy_doc.split())
