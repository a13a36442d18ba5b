"""pytest plugin for script/s3tests: records each test's outcome, markers and failure line as JSON lines.

With S3TESTS_RUN_ALL unset, tests the table leaves out (fails_on_aws, features other issues deliver) are
deselected rather than run: they would not count, and skipping them halves the run.
"""
import json
import os

from s3tests_table import left_out

_markers = {}
_results = {}


def pytest_collection_modifyitems(session, config, items):
    kept = []
    for item in items:
        _markers[item.nodeid] = sorted({m.name for m in item.iter_markers()})
        if os.environ.get("S3TESTS_RUN_ALL") or not left_out({"test": item.name, "markers": _markers[item.nodeid]}):
            kept.append(item)
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_runtest_logreport(report):
    entry = _results.setdefault(report.nodeid, {"outcome": "passed", "reason": ""})
    if report.failed:
        entry["outcome"] = "failed"
        text = str(report.longrepr) if report.longrepr else ""
        lines = [l for l in text.splitlines() if l.startswith("E ")]
        entry["reason"] = (lines[-1] if lines else text.splitlines()[-1] if text else "")[:300]
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("S3TESTS_RESULTS", "s3tests-results.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for nodeid, markers in _markers.items():
            result = _results.get(nodeid, {"outcome": "deselected", "reason": ""})
            name = nodeid.split("::")[-1]
            f.write(json.dumps({"test": name, "markers": markers, **result}) + "\n")
