# Everything CI does can be run locally with these targets.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
TEST_STAMP = $(VENV)/.installed-test
PORT   ?= 8000

.PHONY: serve build test check lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(STAMP)

## serve: install if needed, build talks/ and serve it with live reload on http://127.0.0.1:$(PORT)
serve: $(STAMP)
	$(BIN)/talkbuild serve --port $(PORT)

## build: build talks/ into _site/
build: $(STAMP)
	$(BIN)/talkbuild build

## test: install what the tests need and run them, on one worker per core up to 4 (each starts its own
## Chromium and S3 server); `make test TEST_WORKERS=0` runs them in one process. A file's tests share a worker.
TEST_WORKERS ?= auto --maxprocesses 4
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## check: build and check the site (internal links, assets, front matter)
check: $(STAMP)
	$(BIN)/talkbuild check

## lint: type-check and lint the package
lint: $(TEST_STAMP)
	$(BIN)/ruff check talkbuild tests
	$(BIN)/mypy

clean:
	rm -rf _site .talkbuild .pytest_cache

# --- CI and deploys (docs/ci.md) ------------------------------------------------------------------
# The workflows in .github/workflows call only these targets, so a laptop runs what GitHub runs.
# Values that may come from outside (workflow inputs, repository variables) reach the recipes as
# environment variables quoted by the shell, never expanded by make (no injection through a
# release id or a target URL).
TALKBUILD ?= $(BIN)/talkbuild
# Install the package first only when TALKBUILD is this checkout's own venv binary.
TALKBUILD_DEPS = $(if $(filter $(BIN)/talkbuild,$(TALKBUILD)),$(STAMP))
CHECK_FORMAT ?= text
LOCAL_TARGET ?= file://_deploy
CHANNEL ?= live
KEEP ?= 10
# The edge hook (docs/deploy.md "Routing"): when this file exists, deploy and rollback run it after the
# switch is verified, with TALKBUILD_TARGET and CHANNEL set, so the edge (a CloudFront KeyValueStore...)
# follows the pointer. `talkbuild routing` prints one; `make ci` never runs it.
EDGE_SYNC ?= ./sync-edge.sh
# The GitHub CLI, for undeploy-if-closed (installed on GitHub's runners).
GH ?= gh
export TALKBUILD_TARGET CHANNEL RELEASE KEEP UNLOCK SUMMARY_FILE PR_NUMBER PUBLISHED_SHA CHECK_FORMAT EDGE_SYNC
# This same Makefile, also when it was given with -f from another folder.
SUBMAKE = $(MAKE) -f "$(firstword $(MAKEFILE_LIST))"
# Shell prelude: "$@" = the --target option when TALKBUILD_TARGET is set (else the config's target).
TARGET_ARGS = set -e; if [ -n "$$TALKBUILD_TARGET" ]; then set -- --target "$$TALKBUILD_TARGET"; else set --; fi
# Run a talkbuild command, echo its stdout and append its last line (the summary with the URL) to
# $$SUMMARY_FILE when set (the workflows pass $$GITHUB_STEP_SUMMARY).
SYNC_EDGE = if [ -n "$$EDGE_SYNC" ] && [ -e "$$EDGE_SYNC" ]; then echo "+ $$EDGE_SYNC" >&2; "$$EDGE_SYNC"; fi
SUMMARISED = summarised() { out=.talkbuild/last-command.out; mkdir -p .talkbuild; \
	echo "+ talkbuild $$*" >&2; "$(TALKBUILD)" "$$@" > "$$out" || { rc=$$?; cat "$$out"; return $$rc; }; cat "$$out"; \
	if [ -n "$$SUMMARY_FILE" ]; then printf '**talkbuild %s** (channel `%s`): %s\n\n' "$$1" "$$CHANNEL" \
	"$$(tail -n 1 "$$out")" >> "$$SUMMARY_FILE"; fi; }

.PHONY: ci site deploy undeploy undeploy-if-closed deploy-behind rollback prune

## ci: what CI runs, on this machine: test, build + check, publish to $(LOCAL_TARGET), verify
ci:
	@if [ -n "$$NO_TEST" ]; then echo "ci: NO_TEST is set, skipping make test"; else $(SUBMAKE) test; fi
	$(SUBMAKE) site
	$(SUBMAKE) deploy TALKBUILD_TARGET=$(LOCAL_TARGET) CHANNEL=live SUMMARY_FILE= EDGE_SYNC=

## site: build the site and check it (CI uses CHECK_FORMAT=github: annotations on the diff)
site: $(TALKBUILD_DEPS)
	$(TALKBUILD) build
	$(TALKBUILD) check --format "$$CHECK_FORMAT"

## deploy: build, then publish to $$TALKBUILD_TARGET (default: the config's) on channel $$CHANNEL (live), then verify
##         (then ./sync-edge.sh when there is one)
deploy: $(TALKBUILD_DEPS)
	@$(TARGET_ARGS); $(SUMMARISED); \
	echo "+ talkbuild build" >&2; "$(TALKBUILD)" build; \
	summarised publish "$$@" --channel "$$CHANNEL" $${UNLOCK:+--unlock}; \
	echo "+ talkbuild verify $$* --channel $$CHANNEL" >&2; "$(TALKBUILD)" verify "$$@" --channel "$$CHANNEL"; \
	$(SYNC_EDGE)

## undeploy: remove channel $$CHANNEL (a closed pull request's preview); its releases become prunable
undeploy: $(TALKBUILD_DEPS)
	@$(TARGET_ARGS); case "$$CHANNEL" in live|"") echo "undeploy: refusing to remove channel '$$CHANNEL'" >&2; exit 2;; esac; \
	echo "+ talkbuild channel rm $$* $$CHANNEL" >&2; "$(TALKBUILD)" channel rm "$$@" "$$CHANNEL"

## undeploy-if-closed: remove channel $$CHANNEL when pull request $$PR_NUMBER is closed or merged (the preview
##                     job runs it after publishing: cleanup may have run before that preview existed)
undeploy-if-closed: $(TALKBUILD_DEPS)
	@if [ -z "$$PR_NUMBER" ]; then echo "undeploy-if-closed: set PR_NUMBER" >&2; exit 2; fi; \
	state=$$("$(GH)" pr view "$$PR_NUMBER" --json state --jq .state) || \
	{ echo "undeploy-if-closed: cannot read the state of pull request $$PR_NUMBER" >&2; exit 1; }; \
	echo "pull request $$PR_NUMBER is $$state" >&2; \
	case "$$state" in OPEN) ;; CLOSED|MERGED) $(SUBMAKE) undeploy;; \
	*) echo "undeploy-if-closed: cannot tell whether pull request $$PR_NUMBER is closed (gh said '$$state'); nothing removed" >&2; exit 1;; esac

## deploy-behind: after a deploy, say when main has moved past $$PUBLISHED_SHA (the commit just published):
##                GitHub cancels a deploy still waiting whenever another queues, so the newer one may never run
deploy-behind:
	@if [ -z "$$PUBLISHED_SHA" ] || [ -z "$$GITHUB_REPOSITORY" ]; then \
	echo "deploy-behind: set PUBLISHED_SHA and GITHUB_REPOSITORY" >&2; exit 2; fi; \
	head=$$("$(GH)" api "repos/$$GITHUB_REPOSITORY/commits/main" --jq .sha) && [ -n "$$head" ] || \
	{ echo "deploy-behind: cannot read the head of main; not checked" >&2; exit 0; }; \
	if [ "$$head" = "$$PUBLISHED_SHA" ]; then echo "main is still at $$PUBLISHED_SHA, the commit just published" >&2; exit 0; fi; \
	msg="main has moved to $$head since this run published $$PUBLISHED_SHA. If the deploy of $$head was cancelled while waiting (GitHub cancels a waiting deploy whenever another one queues, whatever their commits), the live site stays on $$PUBLISHED_SHA until the next push to main: run the ci workflow on main (Actions, ci, Run workflow) to publish it."; \
	echo "::warning title=live may be behind main::$$msg"; \
	if [ -n "$$SUMMARY_FILE" ]; then printf '%s\n\n' "$$msg" >> "$$SUMMARY_FILE"; fi

## rollback: point $$CHANNEL back at release $$RELEASE (empty: the previous one), then verify
##           (then ./sync-edge.sh when there is one)
rollback: $(TALKBUILD_DEPS)
	@$(TARGET_ARGS); $(SUMMARISED); \
	summarised rollback "$$@" --channel "$$CHANNEL" $${RELEASE:+--to} $${RELEASE:+"$$RELEASE"}; \
	echo "+ talkbuild verify $$* --channel $$CHANNEL" >&2; "$(TALKBUILD)" verify "$$@" --channel "$$CHANNEL"; \
	$(SYNC_EDGE)

## prune: delete old releases, keeping the newest $$KEEP (never one a channel points at)
prune: $(TALKBUILD_DEPS)
	@$(TARGET_ARGS); echo "+ talkbuild prune $$* --keep $$KEEP" >&2; "$(TALKBUILD)" prune "$$@" --keep "$$KEEP"

## bench: benchmark every stage against pandoc, Marp CLI, linkchecker, linkinator, aws s3 sync
##        (SIZE=small|medium|large, RUNS=5; peers go to bench/.peers/, results to bench/results/ + docs/benchmarks.md)
SIZE ?= medium
RUNS ?= 5
bench: $(TEST_STAMP)
	$(BIN)/python -m bench.peers install
	$(BIN)/python -m bench.run --size $(SIZE) --runs $(RUNS) $(BENCH_ARGS)
