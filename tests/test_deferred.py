"""Deferred findings and run-wide services: decided after every file, closed when the run ends."""
import types

from lintnews import hookimpl, rule
from lintnews.config import Config, Settings
from lintnews.files import discover
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_paths


class Service:
    """Stands in for a run-wide checker: records what it was asked, closes once, leaves a notice."""

    def __init__(self):
        self.asked, self.closed, self.notices = [], 0, ("no network: 2 remote URLs were not checked",)

    def close(self):
        self.closed += 1


@rule("word-checked-later", severity="warning")
def word_checked_later(doc, options):
    """Reports the words 'bad' once the whole run is linted; 'boom' crashes while deciding."""
    service = doc.run_cache.setdefault("service", Service())
    for word in ("bad", "good", "boom"):
        offset = doc.text.find(word)
        if offset >= 0:
            service.asked.append((doc.path, word))

            def wait(word=word):
                if word == "boom":
                    raise RuntimeError("checker gone")
                return f"'{word}' is bad" if word == "bad" else None
            yield doc.deferred(offset, wait, offset + len(word))


def _lint(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    module = types.ModuleType("later")
    module.lintnews_rules = hookimpl(lambda: [word_checked_later])
    rules = collect_rules(plugin_manager(extra=[("later", module)]))
    settings = Settings(Config(None, tmp_path), rules, select=["word-checked-later"])
    return lint_paths(discover([str(tmp_path)], tmp_path, [], cwd=tmp_path), settings)


def test_deferred_findings_are_decided_after_every_file(tmp_path):
    report = _lint(tmp_path, {"a.md": "x bad y\n", "b.md": "good\n\nbad boom\n"})
    assert [(f.path, f.line, f.column, f.end_column, f.rule, f.message) for f in report.findings] == [
        ("a.md", 1, 3, 6, "word-checked-later", "'bad' is bad"),
        ("b.md", 3, 1, 4, "word-checked-later", "'bad' is bad"),
        ("b.md", 3, 5, 9, "internal-error",
         "rule 'word-checked-later' crashed deciding a finding: RuntimeError: checker gone"),
    ]


def test_run_services_are_shared_closed_once_and_leave_one_notice(tmp_path):
    report = _lint(tmp_path, {"a.md": "bad\n", "b.md": "bad\n"})
    assert report.notices == ("no network: 2 remote URLs were not checked",)


def test_a_suppressed_deferred_finding_is_never_decided(tmp_path):
    report = _lint(tmp_path, {"a.md": "<!-- lintnews-disable-next-line word-checked-later -->\nboom\n"})
    assert report.findings == ()
