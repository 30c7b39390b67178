"""banned-terms: messages, per-category severities, lexicon validation and configuration errors."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from lintnews.testing import lint_string

LEXICON = """\
categories:
  gambling: {severity: warning, message: gambling promotion is not allowed, terms: [博彩, casino]}
  drugs: [大麻, drug]
  notes: {severity: info, terms: [备注词]}
allow: [大麻烦]
"""
ENV = {key: value for key, value in os.environ.items() if key != "LINTNEWS_DEBUG"}


def findings(text: str, options: dict | None = None, files: dict | None = None):
    options = {"lexicons": ["terms.yaml"], **(options or {})}
    files = {"terms.yaml": LEXICON, **(files or {})}
    return [(f.line, f.column, f.end_line, f.end_column, str(f.severity), f.message)
            for f in lint_string(text, ["banned-terms"], {"banned-terms": options}, files=files)]


# -- messages and severities -----------------------------------------------------

def test_a_plain_hit_names_term_category_and_message_with_the_category_severity():
    assert findings("网络博彩。\n") == [
        (1, 3, 1, 5, "warning", 'banned term "博彩" (gambling): gambling promotion is not allowed')]


def test_a_category_without_severity_takes_the_rules_and_a_configured_severity_wins():
    assert findings("大麻\n")[0][4] == "error"
    assert findings("大麻\n", {"severity": "info"})[0][4] == "info"
    assert findings("备注词\n")[0][4] == "info"  # its category's own severity
    assert findings("备注词\n", {"severity": "error"})[0][4] == "error"  # the user's configuration


def test_an_evasion_is_named_with_the_text_as_written():
    assert findings("博-彩 and d.r.u.g\n") == [
        (1, 1, 1, 4, "warning", 'banned term "博彩" (gambling), written "博-彩" with inserted separators: '
                                "gambling promotion is not allowed"),
        (1, 9, 1, 16, "error", 'banned term "drug" (drugs), written "d.r.u.g" with inserted separators')]


@pytest.mark.parametrize("text, kinds", [
    ("d r u g", "inserted spaces"),
    ("d\u200br\u200bu\u200bg", "invisible characters"),
    ("d\u0336r\u0336u\u0336g\u0336", "added marks"),
    ("druuug", "repeated letters"),
    ("ｄｒｕｇ", "full-width letters"),
    ("𝐝𝐫𝐮𝐠", "look-alike characters"),
    ("&#x5927;麻", "character references"),
    ("Ｄ-Ｒ-Ｕ-Ｇ", "inserted separators and full-width letters"),
])
def test_each_kind_of_evasion_is_named(text, kinds):
    (found,) = findings(text + "\n")
    assert found[5].endswith(f" with {kinds}"), found


@pytest.mark.parametrize("run", ["z" * 15, "z" * 20, "z" * 30, "a" * 45])
def test_an_evasion_beside_a_long_run_of_one_letter_is_found(run):
    # the run's repeated letters are read as a word of their own, not as part of the evasion
    assert findings(f"Visit the c.a.s.i.n.o {run} ok\n") == [
        (1, 11, 1, 22, "warning", 'banned term "casino" (gambling), written "c.a.s.i.n.o" with inserted separators: '
                                  "gambling promotion is not allowed")]


@pytest.mark.parametrize("text, kinds", [
    ("购买d r u g请联系", "inserted spaces"),
    ("烦d.r.u.g大", "inserted separators"),
    ("好. 购买d r u g请联系", "inserted spaces"),  # (once found only across the ". " before)
])
def test_a_word_spelled_out_between_chinese_characters_is_found(text, kinds):
    column = text.index("d") + 1
    assert findings(text + "\n") == [
        (1, column, 1, column + 7, "error", f'banned term "drug" (drugs), written "{text[column - 1:column + 6]}" '
                                           f"with {kinds}")]


def test_a_letter_written_long_is_found_however_long():
    # longer than the reach around any one letter of the run: the zones around the run's
    # letters are one zone, and the run is read whole
    written = "c" + "a" * 100 + "sino"
    assert findings(f"Visit the {written} now\n") == [
        (1, 11, 1, 11 + len(written), "warning", f'banned term "casino" (gambling), written "{written[:39]}…" '
                                                 "with repeated letters: gambling promotion is not allowed")]


@pytest.mark.parametrize("text, column", [
    ("a" * 20_000 + " casino", 20_002),  # a hint at every letter of the run
    ("c-a-s-i-" * 5_000 + " casino", 40_002),  # a hint at every separator
    ("博-" * 10_000 + " casino", 20_002),
])
def test_a_text_of_hints_is_squeezed_once_not_once_per_hint(monkeypatch, text, column):
    from lintnews.rules import lexicon_match

    squeezed = []
    real = lexicon_match._Squeezed.__init__

    def counted(self, view_text, start, end):
        squeezed.append(end - start)
        real(self, view_text, start, end)

    monkeypatch.setattr(lexicon_match._Squeezed, "__init__", counted)
    assert findings(text + "\n") == [
        (1, column, 1, column + 6, "warning", 'banned term "casino" (gambling): gambling promotion is not allowed')]
    assert 0 < sum(squeezed) <= len(text) + 1


@pytest.mark.parametrize("written", ["caaaasino", "caaaaaaaaaasino", "cassssino", "casinooooo"])
def test_a_letter_written_four_times_or_more_is_found(written):
    assert findings(f"Visit the {written} now\n") == [
        (1, 11, 1, 11 + len(written), "warning", f'banned term "casino" (gambling), written "{written}" '
                                                 "with repeated letters: gambling promotion is not allowed")]


def test_a_term_evaded_many_times_over_is_reported_at_each():
    text = "博-彩-" * 5_000
    found = findings(text + "\n")
    assert found[:2] == [
        (1, column, 1, column + 3, "warning", 'banned term "博彩" (gambling), written "博-彩" with inserted '
                                             "separators: gambling promotion is not allowed") for column in (1, 5)]
    # every one is found; the report lists max-findings-per-rule of them and counts the rest
    assert [finding[1] for finding in found[:500]] == list(range(1, 2_000, 4))
    assert found[500][1:2] + found[500][5:] == (2_001, "4500 more banned-terms findings from here on are not "
                                                       "listed (max-findings-per-rule: 500)")


def _keep_by_pairs(banned, allowed):
    """What ``_keep`` settles, asking every pair of hits."""
    def covered(hit, others):
        return any(o[0] <= hit[0] and hit[1] <= o[1] and o[1] - o[0] > hit[1] - hit[0] for o in others)

    plain = [hit for hit in banned if not hit[3]]
    kept, seen = [], set()
    for hit in sorted(banned, key=lambda h: (h[0], -h[1])):
        start, end, entry, kinds = hit
        if (start, end, entry.key) in seen or covered(hit, allowed) or covered(hit, banned):
            continue
        if kinds and any(other[2] is entry and other[0] < end and start < other[1] for other in plain):
            continue
        seen.add((start, end, entry.key))
        kept.append(hit)
    return kept


def test_hits_are_settled_as_asking_every_pair_would():
    from lintnews.rules.lexicon_match import Entry, _keep

    rng = random.Random(5)
    entries = [Entry.make(key, key, None) for key in ("drug", "casino", "drug")]  # two entries of one key
    for _ in range(5_000):
        def hits(count):
            return [(start, start + rng.randint(1, 6), rng.choice(entries), rng.choice([(), (), ("inserted spaces",)]))
                    for start in (rng.randint(0, 15) for _ in range(count))]
        banned, allowed = hits(rng.randint(0, 12)), hits(rng.randint(0, 4))
        assert _keep(banned, allowed) == _keep_by_pairs(banned, allowed), (banned, allowed)


def test_case_and_traditional_characters_are_not_evasions():
    pytest.importorskip("opencc")
    assert [f[5] for f in findings("DRUG 大麻 臺灣大麻\n", {"traditional": True})] == [
        'banned term "drug" (drugs)', 'banned term "大麻" (drugs)', 'banned term "大麻" (drugs)']


def test_a_term_in_two_categories_is_reported_once_under_the_most_severe():
    lexicon = "categories:\n  a: {severity: info, terms: [博彩]}\n  b: {severity: error, terms: [博彩]}\n"
    assert [(f[4], f[5]) for f in findings("博彩\n", files={"terms.yaml": lexicon})] == [
        ("error", 'banned term "博彩" (b)')]


def test_inline_terms_and_allow_add_to_the_lexicons():
    options = {"terms": {"local": {"severity": "warning", "terms": ["地方词"]}}, "allow": ["博彩业"]}
    assert [f[5] for f in findings("地方词，博彩业，博彩\n", options)] == [
        'banned term "地方词" (local)', 'banned term "博彩" (gambling): gambling promotion is not allowed']


def test_the_example_term_is_dropped_once_a_lexicon_is_given():
    assert findings("禁用词示例\n") == []
    assert len(lint_string("禁用词示例\n", ["banned-terms"])) == 1


def test_a_spelled_out_word_that_goes_on_is_another_word():
    assert findings("x.d.r.u.g and d.r.u.g.s\n") == []


def test_ordinary_text_with_the_letters_apart_is_not_an_evasion():
    text = "He said a drug-free life. Class assessment: d, r, u, g. 大。麻，大、麻\n"
    assert [f[5] for f in findings(text)] == ['banned term "drug" (drugs)']


def test_the_rule_is_opt_in():
    from lintnews.plugins import collect_rules, plugin_manager

    assert collect_rules(plugin_manager())["banned-terms"].enabled is False
    assert all(f.rule != "banned-terms" for f in lint_string("禁用词示例\n"))


# -- the quick test that skips articles without a hit -----------------------------

QUICK_TERMS = {"drugs": ["大麻", "drug", "fish", "noon", "online casino", "Linux系统", "straße", "𠀀大", "大·麻"],
               "gambling": ["博彩", "ＣＡＳＩＮＯ", "ﬁle"]}


@pytest.mark.parametrize("text", [
    "ｄｒｕｇ", "DRUG", "&#x5927;麻", "cas&#105;no", "大<b>麻</b>", "cas<em>ino</em>", "大\n麻", "**dr**ug",
    "druuug", "nooooon", "d r u g", "d<b>.</b>r.u.g", "大\u3000麻", "大&nbsp;麻", "大\u200b麻", "ﬁsh", "FILE",
    "STRASSE", "𠀀大", "see https://example.com/ 大麻", "大·麻", "online\ncasino", "online <em>casino</em>",
])
def test_what_the_view_joins_or_folds_gets_past_the_quick_test(text):
    assert findings(text + "\n", {"lexicons": [], "terms": QUICK_TERMS})


QUICK_PIECES = (list("大麻烦博彩系统𠀀") + list("drugfishcasinoleDRUGＣＡＳ𝐝") + [
    " ", "  ", ".", "-", "*", "**", "~~", "，", "。", "·", "\n", "\n\n", "\u200b", "\u3000", "\xa0", "<b>", "</b>",
    "<p>", "<span title=\"a>b\">", "<!-- x -->", "`x`", "<style>drug</style>", "&#22823;", "&#x6D;", "&nbsp;",
    "&szlig;", "&amp;", "https://x.com/", "www.a.com", "](http://x)", "ﬁ", "ß", "㍿", "😀", "ss", "aaa", "ooo",
    "noon", "d r u g", "大 麻", "Linux 系统", "online\ncasino", "STRASSE"])


def test_an_article_the_quick_test_skips_has_no_hit():
    from lintnews.document import Document
    from rules.moderation import BannedTerms

    options = {**BannedTerms.options, "terms": QUICK_TERMS, "allow": ["大麻烦"]}
    quick, full = BannedTerms.check(options, Path(".")), BannedTerms.check(options, Path("."))
    full.matcher.quick.enabled = False
    rng, skipped = random.Random(2022), 0
    for _ in range(1500):
        text = "".join(rng.choice(QUICK_PIECES) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:
            text = f"---\ntitle: {text.splitlines()[0] if text.strip() else 'x'}\n---\n{text}"
        doc = Document("a.md", text)
        expected = list(full.check(doc))
        assert list(quick.check(Document("a.md", text))) == expected, text
        skipped += not quick.matcher.quick.may_hit(doc, quick._sources(doc), doc.hidden)
    assert skipped > 300  # the quick test had articles to skip


# -- lexicon validation ----------------------------------------------------------

def option_error(tmp_path: Path, options: dict, files: dict[str, str] | None = None) -> str:
    from lintnews.rule import OptionError
    from rules.moderation import BannedTerms

    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(OptionError) as caught:
        BannedTerms.check({**BannedTerms.options, **options}, tmp_path)
    return str(caught.value)


@pytest.mark.parametrize("lexicon, message", [
    ("categories: [a, b]\n", "lexicon terms.yaml: categories: must be a mapping of category names to terms"),
    ("allow: [x]\n", "lexicon terms.yaml: no 'categories'"),
    ("categories: {}\nextra: 1\n", "lexicon terms.yaml: unknown key 'extra' (known: categories, allow)"),
    ("categories:\n  a: {terms: [x], level: error}\n",
     "lexicon terms.yaml: categories.a: unknown key 'level' (known: terms, severity, message)"),
    ("categories:\n  a: {severity: fatal, terms: [x]}\n",
     "lexicon terms.yaml: categories.a.severity: must be error, warning, info, not 'fatal'"),
    ("categories:\n  a: {message: m}\n", "lexicon terms.yaml: categories.a: no 'terms'"),
    ("categories:\n  a: []\n", "lexicon terms.yaml: categories.a.terms: must be a non-empty list of terms"),
    ("categories:\n  a: [2020]\n", "lexicon terms.yaml: categories.a.terms: term 2020 must be a string (quote it)"),
    ("categories:\n  a: ['!!!']\n", "lexicon terms.yaml: categories.a.terms: term '!!!' has no letter or digit"),
    ("categories:\n  a: {terms: [x], message: [m]}\n",
     "lexicon terms.yaml: categories.a.message: must be a string, not ['m']"),
    ("categories: {a: [x]}\nallow: x\n", "lexicon terms.yaml: allow: must be a list of terms, not 'x'"),
    ("categories: [\n", "lexicon terms.yaml: not valid YAML (line 2, column 1)"),
    ("- a\n", "lexicon terms.yaml: must be a mapping with 'categories' (and 'allow'), not list"),
])
def test_a_malformed_lexicon_names_file_and_key(tmp_path, lexicon, message):
    assert option_error(tmp_path, {"lexicons": ["terms.yaml"]}, {"terms.yaml": lexicon}).startswith(message)


def test_plain_text_lexicons_are_checked_too(tmp_path):
    assert option_error(tmp_path, {"lexicons": ["words.txt"]}, {"words.txt": "# list\nword\n---\n"}) == \
        "lexicon words.txt: line 3: term '---' has no letter or digit"


def test_a_missing_lexicon_and_bad_inline_terms(tmp_path):
    assert option_error(tmp_path, {"lexicons": ["nope.yaml"]}) == "lexicon nope.yaml: file not found"
    assert option_error(tmp_path, {"terms": {"a": "x"}}).startswith(
        "option 'terms': a: must be a list of terms or a mapping with 'terms'")
    assert option_error(tmp_path, {"allow": [1]}) == "option 'allow': term 1 must be a string (quote it)"


def test_traditional_without_opencc_is_a_clear_error(tmp_path, monkeypatch):
    from rules import lexicon

    lexicon.traditional_to_simplified.cache_clear()
    monkeypatch.setitem(sys.modules, "opencc", None)
    try:
        assert option_error(tmp_path, {"traditional": True}) == \
            "option 'traditional' needs the opencc package: pip install 'opencc>=1.1'"
    finally:
        lexicon.traditional_to_simplified.cache_clear()


# -- through the command line ----------------------------------------------------

def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("<p>网络博彩。</p>\n", encoding="utf-8")
    return tmp_path.resolve()


def test_a_configured_lexicon_reports_through_the_command_line(project):
    (project / "moderation").mkdir()
    (project / "moderation" / "terms.yaml").write_text(LEXICON, encoding="utf-8")
    (project / ".lintnews.yaml").write_text("rules:\n  banned-terms:\n    lexicons: [moderation/terms.yaml]\n",
                                            encoding="utf-8")
    result = run(project, "check", "--select", "banned-terms", "--fail-on", "warning", "posts")
    assert result.returncode == 1
    assert ('posts/a.md:1:6: warning banned-terms banned term "博彩" (gambling): '
            "gambling promotion is not allowed") in result.stdout


def test_an_edited_lexicon_is_read_again_though_the_article_is_unchanged(project):
    (project / "moderation").mkdir()
    terms = project / "moderation" / "terms.yaml"
    terms.write_text(LEXICON, encoding="utf-8")
    (project / ".lintnews.yaml").write_text("rules:\n  banned-terms:\n    lexicons: [moderation/terms.yaml]\n",
                                            encoding="utf-8")
    assert "博彩" in run(project, "check", "--select", "banned-terms", "posts").stdout  # now cached
    terms.write_text(LEXICON.replace("博彩, ", ""), encoding="utf-8")
    assert run(project, "check", "--select", "banned-terms", "posts").stdout == "No problems found (1 file checked).\n"


@pytest.mark.parametrize("lexicon, message", [
    (None, "lexicon moderation/terms.yaml: file not found"),
    ("categories:\n  a: {severity: fatal, terms: [x]}\n",
     "lexicon moderation/terms.yaml: categories.a.severity: must be error, warning, info, not 'fatal'"),
])
def test_a_bad_lexicon_is_a_one_line_configuration_error(project, lexicon, message):
    if lexicon is not None:
        (project / "moderation").mkdir()
        (project / "moderation" / "terms.yaml").write_text(lexicon, encoding="utf-8")
    config = project / ".lintnews.yaml"
    config.write_text("rules:\n  banned-terms:\n    lexicons: [moderation/terms.yaml]\n", encoding="utf-8")
    result = run(project, "check", "posts")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"lintnews: error: {config}: rules.banned-terms: {message}\n"
