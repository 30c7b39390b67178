"""Rules that live for a run: rule classes, their one instance per option set, ``finish``,
per-finding severities, and the built-in ``duplicate-article`` that uses them."""
import subprocess
import sys
import types

from lintnews import Severity, hookimpl, rule
from lintnews import OptionError
from lintnews.testing import lint_files, lint_string

STORY = ("沪指今日收涨，成交额放大。券商板块领涨两市，银行股走弱。\n"
         "分析人士认为，市场情绪有所回暖，后市仍需关注量能变化。\n"
         "北向资金全天净买入超过五十亿元。创业板指数表现强于大盘。\n")


def plugin_with(*rules):
    module = types.ModuleType("run_rules_plugin")
    module.lintnews_rules = hookimpl(lambda: list(rules))
    return module


def make_counting_rule(events):
    @rule("word-count", severity="warning", options={"limit": 3, "label": "words"})
    class WordCount:
        """Reports each article longer than the run's average, in ``limit`` words.

        Fails:

            one two three four

        Passes:

            one two
        """

        def __init__(self, options, root):
            if options["limit"] < 1:
                raise OptionError(f"limit must be at least 1, not {options['limit']}")
            self.limit = options["limit"]
            self.label = options["label"]
            self.seen = []
            events.append(("init", self.label))

        def check(self, doc):
            events.append(("check", doc.path))
            count = len(doc.body.split())
            self.seen.append(count)
            if count > self.limit:
                yield doc.violation(0, f"{count} {self.label}",
                                    severity=Severity.ERROR if count > 2 * self.limit else None)
            yield doc.deferred(0, lambda: self.verdict(count))

        def verdict(self, count):
            events.append(("decide", count))
            return f"{count} of {sum(self.seen)} {self.label} in the run" if count == max(self.seen) else None

        def finish(self):
            events.append(("finish", len(self.seen)))

    return WordCount


def test_a_rule_class_has_one_instance_per_run_that_sees_every_document_then_finishes():
    events = []
    plugin = plugin_with(make_counting_rule(events))
    findings = lint_files({"a.md": "one two\n", "b.md": "one two three four\n", "c.md": "1 2 3 4 5 6 7\n"},
                          ["word-count"], plugins=[plugin])
    assert events[0] == ("init", "words")
    assert [e for e in events if e[0] == "check"] == [("check", "a.md"), ("check", "b.md"), ("check", "c.md")]
    finish = events.index(("finish", 3))
    assert all(event[0] == "decide" for event in events[finish + 1:]) and len(events) == finish + 4
    assert [(f.path, f.message, f.severity) for f in findings] == [
        ("b.md", "4 words", Severity.WARNING),
        ("c.md", "7 of 13 words in the run", Severity.WARNING),
        ("c.md", "7 words", Severity.ERROR),  # the violation's own severity wins over the configured one
    ]


def _project(tmp_path, config, events):
    from lintnews.config import Settings, load_config
    from lintnews.files import discover
    from lintnews.plugins import collect_rules, plugin_manager
    from lintnews.runner import lint_paths

    (tmp_path / ".lintnews.yaml").write_text(config, encoding="utf-8")
    for name in ("a.md", "b.md", "drafts/c.md", "drafts/d.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("one two three four five\n", encoding="utf-8")
    rules = collect_rules(plugin_manager(extra=[("run_rules_plugin", plugin_with(make_counting_rule(events)))]))
    settings = Settings(load_config(tmp_path / ".lintnews.yaml", tmp_path), rules, select=["word-count"])
    return lint_paths(discover([str(tmp_path)], tmp_path, [], cwd=tmp_path), settings)


def test_overrides_may_change_a_run_scoped_rules_severity_and_it_still_sees_every_article(tmp_path):
    events = []
    report = _project(tmp_path, "rules:\n  word-count: {label: words}\n"
                                "overrides:\n  'drafts/**':\n    word-count: {severity: info}\n", events)
    assert [e for e in events if e[0] in ("init", "finish")] == [("init", "words"), ("finish", 4)]
    assert sorted((f.path, str(f.severity)) for f in report.findings if f.message == "5 words") == [
        ("a.md", "warning"), ("b.md", "warning"), ("drafts/c.md", "info"), ("drafts/d.md", "info")]


def test_overrides_may_not_change_a_run_scoped_rules_options(tmp_path):
    import pytest

    from lintnews.config import ConfigError
    with pytest.raises(ConfigError, match=r"overrides\.drafts/\*\*\.word-count: a rule that sees the whole run "
                                          r"takes its options once"):
        _project(tmp_path, "overrides:\n  'drafts/**':\n    word-count: {label: draft words}\n", [])


def test_a_configured_severity_wins_over_the_violations_own(tmp_path):
    events = []
    findings = lint_files({"c.md": "1 2 3 4 5 6 7\n"}, ["word-count"], {"word-count": {"severity": "info"}},
                          plugins=[plugin_with(make_counting_rule(events))])
    assert [(f.message, f.severity) for f in findings] == [("7 of 7 words in the run", Severity.INFO),
                                                           ("7 words", Severity.INFO)]


def test_a_bad_setting_refused_by_a_rule_class_is_a_one_line_error_before_any_file_is_read(tmp_path):
    (tmp_path / "house.py").write_text(
        "from lintnews import hookimpl, rule\n"
        "from lintnews import OptionError\n\n"
        "@rule('lexicon-check', options={'lexicon': ''})\n"
        "class LexiconCheck:\n"
        "    \"\"\"Checks words against a lexicon.\"\"\"\n"
        "    def __init__(self, options, root):\n"
        "        if not (root / options['lexicon']).is_file():\n"
        "            raise OptionError(f\"lexicon {options['lexicon']!r} not found\")\n"
        "    def check(self, doc):\n"
        "        raise AssertionError('no file may be checked')\n\n"
        "@hookimpl\n"
        "def lintnews_rules():\n"
        "    return [LexiconCheck]\n", encoding="utf-8")
    (tmp_path / ".lintnews.yaml").write_text(
        "plugins: [house.py]\nrules:\n  lexicon-check: {lexicon: terms.yaml}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("text\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "."], cwd=tmp_path,
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip().splitlines() == [
        f"lintnews: error: {tmp_path / '.lintnews.yaml'}: rules.lexicon-check: lexicon 'terms.yaml' not found"]


def test_a_rule_class_without_check_is_refused_when_it_is_declared():
    import pytest

    with pytest.raises(ValueError, match="no check"):
        @rule("no-check")
        class NoCheck:
            """Does nothing."""


def test_a_crash_in_finish_stops_the_run_naming_rule_and_plugin():
    import pytest

    from lintnews.plugins import PluginError

    @rule("crashing-finish")
    class CrashingFinish:
        """Crashes at the end."""

        def __init__(self, options, root):
            pass

        def check(self, doc):
            yield doc.violation(0, "seen")

        def finish(self):
            raise RuntimeError("index lost")

    with pytest.raises(PluginError, match=r"^rule 'crashing-finish' from plugin 'run_rules_plugin' crashed "
                                          r"finishing the run: RuntimeError: index lost$"):
        lint_files({"a.md": "x\n", "b.md": "y\n"}, ["crashing-finish"], plugins=[plugin_with(CrashingFinish)])


def test_a_rule_class_that_fails_to_start_is_a_one_line_error_naming_rule_and_plugin():
    import pytest

    from lintnews.config import ConfigError

    @rule("bad-start")
    class BadStart:
        """Opens a file that is not there."""

        def __init__(self, options, root):
            open(root / "missing.txt", encoding="utf-8")

        def check(self, doc):
            yield from ()

    with pytest.raises(ConfigError, match=r"^rule 'bad-start' from plugin 'run_rules_plugin' failed to start: "
                                          r"FileNotFoundError: "):
        lint_files({"a.md": "x\n"}, ["bad-start"], plugins=[plugin_with(BadStart)])


def test_the_test_kit_refuses_files_outside_the_project():
    import pytest

    for name in ("../escaped.md", "/tmp/escaped.md", "a/../../escaped.md"):
        with pytest.raises(ValueError, match="inside it"):
            lint_files({name: "x\n"})


# -- duplicate-article -------------------------------------------------------


def test_duplicate_messages_name_the_other_article_and_the_similarity():
    longer = STORY + "".join(f"第{n}条补充说明的内容在这里写明白。\n" for n in "一二三四五六")
    findings = lint_files({"a.md": STORY, "b.md": STORY, "c.md": longer,
                           "d.md": longer.replace("北向资金全天净买入超过五十亿元。", "北向资金全天净卖出近二十亿元。")},
                          ["duplicate-article"], {"duplicate-article": {"threshold": 0.75}})
    # c.md has 11 sentences; d.md changes one: 10 shared of 12 in all (83%, over the threshold),
    # and the changed sentence is 15 of c.md's 170 letters and 14 of d.md's 169
    assert [(f.path, f.severity, f.message) for f in findings] == [
        ("a.md", Severity.INFO, "same article body as b.md"),
        ("b.md", Severity.INFO, "same article body as a.md"),
        ("c.md", Severity.INFO, "nearly the same article as d.md: 91% of its text is in the other"),
        ("d.md", Severity.INFO, "nearly the same article as c.md: 92% of its text is in the other"),
    ]


def test_three_copies_name_the_first_other_and_count_the_rest():
    findings = lint_files({"a.md": STORY, "b.md": STORY, "c.md": STORY}, ["duplicate-article"])
    assert [f.message for f in findings] == ["same article body as b.md (and 1 more)",
                                             "same article body as a.md (and 1 more)",
                                             "same article body as a.md (and 1 more)"]


def test_a_suppression_in_one_copy_leaves_the_other_reported():
    suppressed = "<!-- lintnews-disable-file duplicate-article -- kept on purpose -->\n" + STORY
    findings = lint_files({"a.md": suppressed, "b.md": STORY}, ["duplicate-article"])
    assert [(f.path, f.message) for f in findings] == [("b.md", "same article body as a.md")]


def test_only_the_articles_of_the_run_are_compared(tmp_path):
    findings = lint_files({"posts/a.md": STORY, "drafts/a.md": STORY}, ["duplicate-article"],
                          root=tmp_path, lint=["posts/a.md"])
    assert findings == []
    both = lint_files({"posts/a.md": STORY, "drafts/a.md": STORY}, ["duplicate-article"], root=tmp_path)
    assert [f.path for f in both] == ["drafts/a.md", "posts/a.md"]  # the same two, linted together


def test_an_out_of_range_threshold_is_a_configuration_error():
    import pytest

    from lintnews.config import ConfigError
    with pytest.raises(ConfigError, match=r"rules.duplicate-article: threshold must be above 0 and at most 1"):
        lint_string(STORY, ["duplicate-article"], {"duplicate-article": {"threshold": 1.5}})


def test_a_template_copied_into_many_articles_is_reported_in_every_one():
    shared = "".join(f"第{n}条各篇共有的句子在这里出现一次。" for n in range(20))
    articles = {f"daily/{n:03}.md": shared + f"今天是第{n}期日报独有的一句话。\n" for n in range(100)}
    findings = lint_files(articles, ["duplicate-article"])
    assert len(findings) == 100
    # the one sentence of each that differs only by its number recurs in every article: left out
    assert findings[0].message == "nearly the same article as daily/001.md (and 98 more): 100% of its text is in the other"


def test_a_case_file_violation_must_name_an_article_of_its_case(tmp_path):
    import pytest

    from lintnews.testing import load_cases
    (tmp_path / "image-alt.yaml").write_text(
        "rule: image-alt\ncases:\n  - name: wrong path\n    text: \"x\\n\"\n"
        "    violations: [[no/such/file.md, 1, 1]]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"image-alt.yaml: wrong path: violation .* names no article of the case"):
        load_cases(tmp_path)


def test_a_documented_example_may_not_begin_before_its_first_article_header():
    import pytest

    from lintnews.testing import example_articles
    assert example_articles("==> a.md <==\nx\n==> b.md <==\ny\n") == {"a.md": "x\n", "b.md": "y\n"}
    assert example_articles("just one article\n") == {"article.md": "just one article\n"}
    with pytest.raises(ValueError, match="before its first"):
        example_articles("intro\n==> a.md <==\nx\n")


def test_a_suppression_of_a_deferred_finding_is_unused_only_when_it_is_decided_to_be_none():
    story = "<!-- lintnews-disable-next-line duplicate-article -- kept on purpose -->\n" + STORY
    alone = lint_files({"a.md": story}, ["duplicate-article", "unused-suppression"])
    assert [(f.line, f.rule, f.message) for f in alone] == [
        (1, "unused-suppression", "unused suppression of 'duplicate-article': "
                                  "lintnews-disable-next-line suppresses nothing")]
    copied = lint_files({"a.md": story, "b.md": STORY}, ["duplicate-article", "unused-suppression"])
    assert [(f.path, f.rule) for f in copied] == [("b.md", "duplicate-article")]
