"""The merge step: every file's map result in, the run's Report out."""
from __future__ import annotations

from functools import partial
from itertools import compress, count, repeat
from operator import attrgetter, itemgetter
from typing import Mapping, Sequence

from .. import timing
from ..config import Settings
from ..encoded import Encoded, Findings, file_block
from ..plugins import PluginError
from ..runner import Report, WrongValue, decide, described, sort_key
from ..violation import Pending, Ticket, Unless
from .cache import ResultCache, summaries_key
from .mapping import FileResult, settled


def merge(results: Sequence[FileResult], settings: Settings, run_cache: dict | None = None,
          cache: ResultCache | None = None) -> Report:
    """Judge the summaries, settle the placeholders and the Deferreds, sort: the Report.

    ``results`` are in run order (the order of the sources); ``run_cache`` holds the
    services the parent process shared between documents (closed here); ``cache`` keeps
    each rule's verdicts for the summaries they were given.
    """
    for rule_id, finish in settings.finishers():  # rule classes that saw every document close
        _guarded(settings, rule_id, "finishing the run", finish)
    verdicts = {rule_id: _judge(settings, rule_id, instance, options, results, cache)
                for rule_id, (instance, options) in settings.judges().items()}
    for index, result in enumerate(results):
        _settle(result, index, verdicts)
    findings = _in_report_order(results)
    rendered = {}  # a file's settled findings and their entries, written ahead by the map step
    for result in results:
        if result.rendered:
            written = _written(result.findings)
            rendered[written[0].path if type(written) is not Encoded else written.path] = (written, result.rendered)
    notices: list[str] = []
    for value in (run_cache or {}).values():  # services shared by the run (a remote checker) end with it
        if hasattr(value, "close"):
            value.close()
        notices += getattr(value, "notices", ())
    return Report(findings, len(results), settings.rules, settings.config.root,
                  notices=tuple(dict.fromkeys(notices)), files=tuple(result.facts for result in results),
                  rendered=rendered, max_file_size=settings.config.max_file_size)


_message = attrgetter("message")


def _in_report_order(results: Sequence[FileResult]) -> tuple | Findings:
    """Every decided finding, in the report's order (``sort_key``).

    The map step sorts each file's findings, so the files are put in order of their path and
    only a file whose placeholders were decided now is sorted again: sorting every finding
    of a large archive took as long as the rest of the merge. A file from the results cache
    whose placeholders all came to nothing stays encoded (``lintnews.encoded``): the report's
    findings are then a ``Findings`` of such blocks and tuples. Should a result hold a
    finding of another file, or two results the same path, everything is sorted instead.
    """
    files = []
    for result in results:
        found = result.findings
        if not found:
            continue
        block = _still_encoded(found)
        if block is not None:
            files.append((block.path, block))
            continue
        path = found[0].path
        if any(finding.path != path for finding in found):
            return tuple(sorted(decide([finding for result in results for finding in result.findings]), key=sort_key))
        if any(isinstance(finding.message, Pending) for finding in found):
            found = _decided(found)
        files.append((path, found))
    files.sort(key=itemgetter(0))
    if any(files[i][0] == files[i + 1][0] for i in range(len(files) - 1)):
        return tuple(sorted((finding for _, found in files for finding in found), key=sort_key))
    if any(type(found) is Encoded for _, found in files):
        return Findings([found for _, found in files])
    return tuple([finding for _, found in files for finding in found])


def _still_encoded(found: Sequence) -> Encoded | None:
    """The encoded block of a cached file's findings (``plain.restored``) when none of its
    placeholders was given a message: the file's findings are then that block, as it is."""
    block = file_block(found)
    if block is None or any(decide([finding]) for _, finding in found.pending):
        return None  # not encoded, or a placeholder that speaks: decoded and sorted again (_decided)
    return block


def _written(found: Sequence) -> Sequence:
    """A file's settled findings: those the map step wrote ahead."""
    block = file_block(found)  # a restored file's: encoded, they are exactly the block
    return block if block is not None else tuple(settled(found))


def _decided(found: Sequence) -> list:
    """A file's sorted findings with their placeholders decided. Most are dropped (no duplicate
    found), which leaves the rest in order; only when one gets its message is the file sorted
    again (the message is part of the order)."""
    placeholders = compress(count(), map(isinstance, map(_message, found), repeat(Pending)))
    kept, start, worded = [], 0, False
    for index in placeholders:
        kept += found[start:index]
        decision = decide([found[index]])
        kept += decision
        worded = worded or bool(decision)
        start = index + 1
    kept += found[start:]
    return sorted(kept, key=sort_key) if worded else kept


def _judge(settings: Settings, rule_id: str, instance, options: str, results: Sequence[FileResult],
           cache: ResultCache | None) -> dict:
    """The rule's verdicts on this run's summaries: remembered, when they are the last run's."""
    summaries = [result.summaries.get(rule_id) for result in results]
    key = summaries_key(options, summaries) if cache is not None else None
    if key is not None:
        remembered = cache.judged(rule_id, key)
        if isinstance(remembered, dict):
            return remembered
    timer = timing.active
    judge = instance.judge if timer is None else partial(timer.call, rule_id, instance.judge)
    verdicts = _guarded(settings, rule_id, "judging the run", judge, summaries) or {}
    wrong = wrong_verdicts(verdicts)
    if wrong is not None:
        return wrong
    if key is not None:
        cache.remember_judged(rule_id, key, dict(verdicts))
    return verdicts


class _Wrong(dict):
    """The verdicts of a judge that gave something else than a dict of file index (an int) to
    message: every file the rule summarized gets, as its verdict, a ``WrongValue`` saying so,
    which ``decide`` turns into an internal-error (a judge that raises stops the run)."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = WrongValue(problem)

    def get(self, index, default=None):
        return self.problem


def wrong_verdicts(verdicts) -> _Wrong | None:
    """``_Wrong`` verdicts naming what is wrong with a judge's result, or None when it is a dict
    keyed by file index (its messages are checked as they are decided)."""
    if not isinstance(verdicts, Mapping):
        return _Wrong(f"judged the run with {described(verdicts)}, not a dict of file index to message")
    key = next((key for key in verdicts if type(key) is not int), None)
    if key is not None:
        return _Wrong(f"judged the run with a key {described(key)}, not a file index (an int)")
    return None


def _settle(result: FileResult, index: int, verdicts: dict[str, dict]) -> None:
    """Give this file's placeholders their verdicts: a Ticket its message, an Unless whether
    one of the findings it waits on was given."""
    found = result.findings
    # a cached file's placeholders are kept apart from its settled findings, which stay encoded
    for finding in (finding for _, finding in found.pending) if type(found) is Findings else found:
        message = finding.message
        if type(message) is Ticket:
            message.verdict = verdicts.get(message.rule, {}).get(index)
        elif type(message) is Unless:  # the findings it waits on were suppressed: not in the list
            message.fired = any(verdicts.get(rule, {}).get(index) for rule in message.rules)


def _guarded(settings: Settings, rule_id: str, doing: str, function, *args):
    try:
        return function(*args)
    except (Exception, SystemExit) as exc:  # no file to pin it on, and every verdict of the rule is in doubt
        raise PluginError(f"rule {rule_id!r} from plugin {settings.rules[rule_id].plugin!r} crashed "
                          f"{doing}: {type(exc).__name__}: {exc}") from None
