"""Tests for presets: ``extends:`` in a configuration, and the preset files shipped with lintnews."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lintnews import presets
from lintnews.config import ConfigError, Settings, load_config
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.violation import Severity

RULES = collect_rules(plugin_manager())


def settings_for(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / ".lintnews.yaml"
    path.write_text(text, encoding="utf-8")
    return Settings(load_config(path, tmp_path), RULES)


def active(settings: Settings) -> dict:
    return {item.rule.id: item for item in settings.for_path("a.md")}


def test_every_preset_is_a_valid_configuration_with_its_purpose_written_first(tmp_path):
    assert presets.names() == ("blog", "en-newsroom", "zh-repost")
    for name in presets.names():
        settings_for(tmp_path, f"extends: {name}\n")  # raises on any unknown rule or option
        assert len(presets.describe(name).split()) > 10, name


def test_a_preset_turns_rules_off_and_sets_options(tmp_path):
    rules = active(settings_for(tmp_path, "extends: blog\n"))
    assert "editor-credit" not in rules and "contact-info" not in rules
    assert rules["front-matter-required"].options["required"] == ["title", "date|pubDate|publishDate"]


def test_the_configuration_wins_over_its_preset_and_a_mapping_turns_a_rule_back_on(tmp_path):
    rules = active(settings_for(tmp_path, "extends: [blog]\nrules:\n  editor-credit: {severity: info}\n"
                                          "  front-matter-required: {required: [title]}\n"))
    assert rules["editor-credit"].severity == Severity.INFO
    assert rules["front-matter-required"].options["required"] == ["title"]


def test_en_newsroom_turns_cjk_punctuation_off_and_keeps_editor_credit_as_a_warning(tmp_path):
    rules = active(settings_for(tmp_path, "extends: en-newsroom\n"))
    assert not {"halfwidth-punctuation", "unbalanced-pairs"} & set(rules)
    assert "repeated-punctuation" in rules
    assert rules["editor-credit"].severity == Severity.WARNING


def test_an_unknown_preset_is_one_line_naming_the_key(tmp_path):
    path = tmp_path / ".lintnews.yaml"
    path.write_text("extends: zh-reposts\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, tmp_path)
    assert str(caught.value) == (f"{path}: extends: unknown preset 'zh-reposts' "
                                 "(known: blog, en-newsroom, zh-repost)")


def test_an_unknown_preset_exits_2_with_one_line(tmp_path):
    (tmp_path / ".lintnews.yaml").write_text("extends: newsroom\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "lintnews", "check", "."], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "extends: unknown preset 'newsroom'" in run.stderr


def test_extends_must_name_presets(tmp_path):
    path = tmp_path / ".lintnews.yaml"
    path.write_text("extends: {blog: true}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="extends: must be a preset name or a list of them"):
        load_config(path, tmp_path)
