"""Plugin loading: entry points, duplicate ids, misspelled hooks, broken plugins and crashing rules."""
import inspect
import os
import subprocess
import sys
import types
from collections import Counter
from pathlib import Path

import pytest

from lintnews import hookimpl, rule
from lintnews.plugins import PluginError, collect_rules, plugin_manager

CORE = Path(__file__).parent.parent / "lintnews"


def _module(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def _fake_distribution(folder: Path, name: str, module_name: str, code: str) -> None:
    """A real installed distribution as importlib.metadata finds it: a module and its dist-info."""
    (folder / f"{module_name}.py").write_text(code, encoding="utf-8")
    info = folder / f"{name.replace('-', '_')}-1.0.dist-info"  # wheel escaping, as pip writes it
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[lintnews]\n{module_name} = {module_name}\n", encoding="utf-8")


def _run(args, cwd: Path, pythonpath: Path):
    # ahead of the path the tests run under (the code tested), not in its place
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(pythonpath), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_core_imports_no_rule():
    for source in CORE.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "lintnews.rules" not in text and "from rules" not in text, source.name


def test_builtin_rules_come_from_the_entry_points():
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    declared = pyproject["project"]["entry-points"]["lintnews"]
    rules = collect_rules(plugin_manager())
    assert {rule.plugin for rule in rules.values()} == {f"lintnews.{name}" for name in declared}
    assert list(rules) == sorted(rules)


def test_a_duplicate_rule_id_names_both_plugins():
    @rule("image-alt", severity="info")
    def clash(doc, options):
        """Clashes with the built-in rule."""
        yield from ()

    extra = _module("clashing", lintnews_rules=hookimpl(lambda: [clash]))
    with pytest.raises(PluginError, match=r"'image-alt' is defined twice: by plugin 'lintnews.images' "
                                          r"and by plugin 'clashing'"):
        collect_rules(plugin_manager(extra=[("clashing", extra)]))


def test_a_misspelled_hook_is_an_error():
    extra = _module("typo", lintnews_rule=hookimpl(lambda: []))
    with pytest.raises(PluginError, match="typo.*unknown hook"):
        plugin_manager(extra=[("typo", extra)])


def test_a_plugin_returning_something_else_than_rules_is_an_error():
    extra = _module("odd", lintnews_rules=hookimpl(lambda: ["image-alt"]))
    with pytest.raises(PluginError, match="plugin 'odd' returned 'image-alt', which is not a @rule"):
        collect_rules(plugin_manager(extra=[("odd", extra)]))


def test_rule_ids_must_be_kebab_case_and_documented():
    with pytest.raises(ValueError, match="kebab-case"):
        rule("Image_Alt")
    with pytest.raises(ValueError, match="no docstring"):
        rule("no-doc")(lambda doc, options: iter(()))


def test_a_plugin_that_fails_to_import_stops_the_run_with_exit_2(tmp_path):
    _fake_distribution(tmp_path, "lintnews-broken", "broken_rules", "raise ImportError('no module named yaml2')\n")
    result = _run(["rules"], tmp_path, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("lintnews: error: plugin 'broken_rules' (from lintnews-broken) failed to "
                                     "load: ImportError: no module named yaml2")
    assert "Traceback" not in result.stderr


def test_a_crashing_rule_gives_internal_error_and_keeps_other_results(tmp_path):
    _fake_distribution(tmp_path, "lintnews-crashy", "crashy_rules", '''
from lintnews import hookimpl, rule

@rule("always-crashes", severity="info")
def always_crashes(doc, options):
    """Raises on every file."""
    raise KeyError("boom")
    yield

@hookimpl
def lintnews_rules():
    return [always_crashes]
''')
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("<img src='https://cdn.163.com/a.png'>\n", encoding="utf-8")
    result = _run(["check", "a.md", "--select", "always-crashes,image-alt"], tmp_path, tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "a.md:1:1: warning image-alt image has no alt attribute",
        "a.md:1:1: error internal-error rule 'always-crashes' from plugin 'lintnews-crashy:crashy_rules' "
        "crashed: KeyError: 'boom'",
    ]
    assert "Traceback" not in result.stderr


EXITING = '''
import sys
from lintnews import hookimpl, rule

@rule("exits-once", severity="info")
def exits_once(doc, options):
    """Ends the process on one article, as a library's command-line helper would."""
    if doc.path.endswith("trigger.md"):
        raise {raised}
    return iter(())

def exiting_format(report):
    sys.exit(0)

@hookimpl
def lintnews_rules():
    return [exits_once]

@hookimpl
def lintnews_output_formats():
    return {{"exiting": exiting_format}}
'''


@pytest.mark.parametrize("where", ["--plugin", "installed"])
def test_a_plugin_calling_sys_exit_at_import_is_an_error_not_a_pass(tmp_path, where):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("责任编辑：\n", encoding="utf-8")
    if where == "installed":
        _fake_distribution(tmp_path, "lintnews-exits", "exits_rules", "import sys\nsys.exit(0)\n")
        result, plugin = _run(["check", "a.md"], tmp_path, tmp_path), "'exits_rules' (from lintnews-exits)"
    else:
        (tmp_path / "exits.py").write_text("import sys\nsys.exit(0)\n", encoding="utf-8")
        result, plugin = _run(["check", "--plugin", "exits.py", "a.md"], tmp_path, tmp_path), "'exits.py' (exits.py)"
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"lintnews: error: plugin {plugin} failed to load: SystemExit: 0\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_calling_sys_exit_gives_internal_error_and_keeps_other_results(tmp_path, jobs):
    _fake_distribution(tmp_path, "lintnews-exits", "exits_rules", EXITING.format(raised="SystemExit(0)"))
    (tmp_path / ".git").mkdir()
    (tmp_path / "bad.md").write_text("责任编辑：\n", encoding="utf-8")
    (tmp_path / "trigger.md").write_text("text\n", encoding="utf-8")
    args = ["check", "--no-cache", "--jobs", jobs, "--select", "exits-once,editor-credit", "bad.md", "trigger.md"]
    result = _run(args, tmp_path, tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines()[:2] == [
        "bad.md:1:1: error editor-credit empty editor credit: '责任编辑：' names nobody",
        "trigger.md:1:1: error internal-error rule 'exits-once' from plugin 'lintnews-exits:exits_rules' "
        "crashed: SystemExit: 0"]
    result = _run([*args, "--output-format", "exiting"], tmp_path, tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "lintnews: error: output format 'exiting' failed: SystemExit: 0\n"


def test_ctrl_c_in_a_rule_still_stops_the_run(tmp_path):
    _fake_distribution(tmp_path, "lintnews-exits", "exits_rules", EXITING.format(raised="KeyboardInterrupt"))
    (tmp_path / ".git").mkdir()
    (tmp_path / "trigger.md").write_text("text\n", encoding="utf-8")
    result = _run(["check", "--no-cache", "--jobs", "1", "trigger.md"], tmp_path, tmp_path)
    assert (result.returncode, result.stdout) == (130, "")


# -- the index of installed entry points ------------------------------------------------------

def _index_file(folder: Path) -> Path:
    [found] = folder.glob("entry-points-*.json")
    return found


def test_the_index_is_read_while_the_installation_is_unchanged(tmp_path, monkeypatch):
    from lintnews import plugins

    scanned = plugins.installed_entry_points(tmp_path)
    assert "punctuation" in {ep.name for ep in scanned}
    stored = _index_file(tmp_path)
    # an index that says otherwise is believed: the scan did not run again
    stored.write_text(stored.read_text(encoding="utf-8").replace('"punctuation"', '"remembered"'), encoding="utf-8")
    assert "remembered" in {ep.name for ep in plugins.installed_entry_points(tmp_path)}


def test_a_distribution_installed_since_is_found(tmp_path, monkeypatch):
    from lintnews import plugins

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    plugins.installed_entry_points(tmp_path / "index")
    _fake_distribution(site, "lintnews-late", "late_rules", "")
    assert "late_rules" in {ep.name for ep in plugins.installed_entry_points(tmp_path / "index")}


def test_the_current_folder_without_distributions_keeps_the_index(tmp_path, monkeypatch):
    from lintnews import plugins

    for name in ("one", "two"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "one"), *sys.path])
    first = plugins._installation_signature()
    (tmp_path / "one" / "notes.md").write_text("changed\n", encoding="utf-8")  # the folder's time moves
    assert plugins._installation_signature() == first
    sys.path[0] = str(tmp_path / "two")
    assert plugins._installation_signature() == first


def test_a_scan_reads_each_distributions_metadata_once(monkeypatch):
    from importlib import metadata

    from lintnews import plugins

    plain = sorted(((ep.name, ep.value, ep.dist.name, ep.dist.version)
                    for ep in metadata.entry_points(group=plugins.ENTRY_POINT_GROUP)))
    reads = Counter()

    def counted(read):
        def metadata_read(dist):
            reads[str(getattr(dist, "_path", id(dist)))] += 1
            return read.__get__(dist, type(dist))
        return property(metadata_read)

    # on the classes of the distributions found (a test run may have installed finders of its own)
    for kind in {type(ep.dist) for ep in metadata.entry_points(group=plugins.ENTRY_POINT_GROUP)}:
        monkeypatch.setattr(kind, "metadata", counted(inspect.getattr_static(kind, "metadata")))
    found = plugins.installed_entry_points(None)
    assert sorted(map(tuple, found)) == plain  # names and versions as the distributions give them
    assert len(found) >= 20 and reads and set(reads.values()) == {1}


_SEEING = '''
from lintnews import hookimpl, rule

@rule("RULE", severity="info")
def sees(doc, options):
    """Reports every file."""
    yield doc.violation(0, "seen")

@hookimpl
def lintnews_rules():
    return [sees]
'''


def test_a_plugin_whose_metadata_cannot_be_read_still_loads(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _fake_distribution(site, "lintnews-latin", "latin_rules", _SEEING.replace("RULE", "latin-rule"))
    _fake_distribution(site, "lintnews-folder", "folder_rules", _SEEING.replace("RULE", "folder-rule"))
    (site / "lintnews_latin-1.0.dist-info" / "METADATA").write_bytes(b"Metadata-Version: 2.1\nName: lat\xefn\n")
    _fake_distribution(site, "lintnews-nameless", "nameless_rules", _SEEING.replace("RULE", "nameless-rule"))
    meta = site / "lintnews_folder-1.0.dist-info" / "METADATA"
    meta.unlink()
    meta.mkdir()  # read as a file: IsADirectoryError
    (site / "lintnews_nameless-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nSummary: x\n",
                                                                        encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("text\n", encoding="utf-8")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    for options in (["--no-cache"], cache, cache):  # the scan, the scan writing the index, the index
        result = _run(["check", *options, "--select", "latin-rule,folder-rule,nameless-rule", "a.md"], tmp_path, site)
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert result.stdout.splitlines()[:3] == ["a.md:1:1: info folder-rule seen", "a.md:1:1: info latin-rule seen",
                                                  "a.md:1:1: info nameless-rule seen"]
    listed = _run(["plugins"], tmp_path, site)
    assert listed.returncode == 0, listed.stderr
    assert all(f"?:{name}_rules" in listed.stdout for name in ("latin", "folder", "nameless")), listed.stdout


def test_a_distribution_naming_nothing_is_unnamed_under_importlib_metadata_too(tmp_path, monkeypatch):
    # once the importlib_metadata backport is imported (Dask does), its finder hands out
    # distributions whose metadata raise KeyError for a missing key, where the standard library's
    # give None
    importlib_metadata = pytest.importorskip("importlib_metadata")
    from lintnews import plugins

    site = tmp_path / "site"
    site.mkdir()
    _fake_distribution(site, "lintnews-nameless", "nameless_rules", _SEEING.replace("RULE", "nameless-rule"))
    (site / "lintnews_nameless-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nSummary: x\n",
                                                                        encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    [dist] = [ep.dist for ep in importlib_metadata.entry_points(group=plugins.ENTRY_POINT_GROUP, name="nameless_rules")]
    with pytest.raises(KeyError):
        dist.metadata["Name"]
    found = [ep for ep in plugins.installed_entry_points(None) if ep.name == "nameless_rules"]
    assert found == [plugins.InstalledEntryPoint("nameless_rules", "nameless_rules", "?", "?")]


def test_each_python_installation_keeps_an_index_of_its_own(tmp_path, monkeypatch):
    from lintnews import plugins

    plugins.installed_entry_points(tmp_path)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "another-venv"))
    plugins.installed_entry_points(tmp_path)
    assert len(list(tmp_path.glob("entry-points-*.json"))) == 2


# -- values of the wrong type from a plugin ---------------------------------------------------

def _wrong_types_plugin():
    from lintnews import Violation

    def yielding(rule_id, *violation):
        def check(doc, options):
            yield Violation(*violation)
        check.__doc__ = f"{rule_id}: yields a value of the wrong type."
        return rule(rule_id)(check)

    def judging(rule_id, verdicts=None, deferred=None):
        methods = {"__doc__": f"{rule_id}: judges with values of the wrong type.",
                   "__init__": lambda self, options, root: None}
        if deferred is None:
            methods.update(summarize=lambda self, doc: (0, doc.path), judge=lambda self, summaries: verdicts)
        else:
            methods.update(check=lambda self, doc: iter([doc.deferred(0, lambda: deferred)]))
        return rule(rule_id)(type(rule_id.title().replace("-", ""), (), methods))

    rules = [yielding("str-line", "1", 2, "m"), yielding("none-column", 1, None, "m"),
             yielding("float-end", 1, 1, "m", 1.5), yielding("int-message", 1, 1, 42),
             yielding("bytes-message", 1, 1, b"m"), judging("judge-list", verdicts=["a"]),
             judging("judge-str-keys", verdicts={"0": "m"}), judging("judge-int-message", verdicts={0: 42, 1: 42}),
             judging("deferred-int", deferred=42)]
    return _module("wrong_types", lintnews_rules=hookimpl(lambda: rules))


@pytest.mark.parametrize("rule_id, message", [
    ("str-line", "rule 'str-line' from plugin 'wrong_types' yielded a Violation whose line is '1' (str), not an int"),
    ("none-column", "rule 'none-column' from plugin 'wrong_types' yielded a Violation whose column is None "
                    "(NoneType), not an int"),
    ("float-end", "rule 'float-end' from plugin 'wrong_types' yielded a Violation whose end_line is 1.5 (float), "
                  "not an int"),
    ("int-message", "rule 'int-message' from plugin 'wrong_types' yielded a Violation whose message is 42 (int), "
                    "not a str"),
    ("bytes-message", "rule 'bytes-message' from plugin 'wrong_types' yielded a Violation whose message is b'm' "
                      "(bytes), not a str"),
    ("judge-list", "rule 'judge-list' judged the run with ['a'] (list), not a dict of file index to message"),
    ("judge-str-keys", "rule 'judge-str-keys' judged the run with a key '0' (str), not a file index (an int)"),
    ("judge-int-message", "rule 'judge-int-message' gave the message 42 (int), not a str"),
    ("deferred-int", "rule 'deferred-int' gave the message 42 (int), not a str"),
])
def test_a_plugin_value_of_the_wrong_type_is_its_rules_internal_error(rule_id, message):
    from lintnews.testing import lint_files

    found = lint_files({"a.md": "<p style='x'>a</p>\n", "b.md": "text\n"}, [rule_id, "inline-style"],
                       plugins=[_wrong_types_plugin()])
    assert [(f.path, f.line, f.column, f.rule, f.message) for f in found] == [
        ("a.md", 1, 1, "internal-error", message),
        ("a.md", 1, 4, "inline-style", "inline style attribute (no property)"),
        ("b.md", 1, 1, "internal-error", message)]


# -- a plugin's fixes that cannot be applied --------------------------------------------------

FIXING = '''
from lintnews import Edit, Violation, hookimpl, rule

def fixing(rule_id, *edits):
    def check(doc, options):
        yield Violation(1, 1, rule_id, fix=edits)
    check.__doc__ = f"{rule_id}: a fix of a plugin's."
    return rule(rule_id, fix="safe")(check)

RULES = [fixing("self-overlap", Edit(5, 15, "C"), Edit(10, 20, "D")), fixing("not-text", Edit(5, 9, 123)),
         fixing("surrogate", Edit(5, 6, "\\ud800")), fixing("overlap-a", Edit(5, 15, "AAAA")),
         fixing("overlap-b", Edit(10, 20, "BBBB")), fixing("str-offsets", Edit("5", "9", "S"))]

@hookimpl
def lintnews_rules():
    return RULES
'''


@pytest.mark.parametrize("rules, problem", [
    ("self-overlap", "a.md:1:1: fix-failed self-overlap gave a fix whose own edits overlap; the file is left as it was"),
    ("not-text", "a.md:1:1: fix-failed not-text gave an edit that is not two offsets and a text; the file is left "
                 "as it was"),
    ("surrogate", "a.md:1:1: fix-failed surrogate gave an edit that is not two offsets and a text; the file is "
                  "left as it was"),
    # each pass fixes overlap-a again (its fix never settles), until overlap-b's edit lies past the end
    ("overlap-a,overlap-b", "a.md:1:1: fix-failed overlap-b gave an edit outside the file as fixed by overlap-a "
                            "(9 fixes); the file is left as it was"),
    ("str-offsets", "a.md:1:1: internal-error rule 'str-offsets' from plugin 'fixing' crashed: TypeError: '<' not "
                    "supported between instances of 'str' and 'int'"),
])
def test_a_plugin_fix_that_cannot_be_applied_is_reported_by_fix_and_diff_alike(tmp_path, rules, problem):
    (tmp_path / ".git").mkdir()
    (tmp_path / "fixing.py").write_text(FIXING, encoding="utf-8")
    text = "---\ntitle: t\nauthor: a\ndate: 2024-01-01\n---\n\nHello world, this is text.\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    args = ["check", "--no-cache", "--plugin", "fixing.py", "--select", rules, "a.md"]
    diff = _run([*args, "--diff"], tmp_path, tmp_path)
    assert (diff.returncode, diff.stdout) == (1, "")
    assert diff.stderr.splitlines()[0] == f"lintnews: {problem}"
    fixed = _run([*args, "--fix"], tmp_path, tmp_path)
    assert fixed.returncode == 1
    assert problem.replace(": fix-failed", ": error fix-failed").replace(": internal-error", ": error internal-error") \
        in fixed.stdout.splitlines()
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == text
