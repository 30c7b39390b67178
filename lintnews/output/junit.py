"""JUnit XML: one failing testcase per finding (GitLab test reports, Jenkins)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from ..lazy_re import lazy_compile
from .common import printable

# Characters XML 1.0 cannot carry even as references: C0 controls but tab and line
# breaks, surrogates, U+FFFE and U+FFFF.
_NOT_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100
                        else f"\\u{ord(match.group()):04x}", text)


def format_junit(report) -> str:
    """JUnit XML: one failing testcase per finding (GitLab test reports, Jenkins)."""
    count = len(report.findings)
    attributes = {"name": "lintnews", "tests": str(max(count, 1)), "failures": str(count),
                  "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", attributes)
    suite = ET.SubElement(suites, "testsuite", attributes)
    names: Counter = Counter()
    for finding in report.findings:
        finding = finding._replace(path=printable(finding.path, None), rule=printable(finding.rule),
                                   message=printable(finding.message))
        name = f"{finding.rule} {finding.path}:{finding.line}:{finding.column}"
        names[name] += 1
        if names[name] > 1:
            name = f"{name} #{names[name]}"
        case = ET.SubElement(suite, "testcase", {"name": _xml_text(name),
                                                 "classname": _xml_text(finding.path),
                                                 "file": _xml_text(finding.path),
                                                 "line": str(finding.line)})
        failure = ET.SubElement(case, "failure", {"message": _xml_text(finding.message),
                                                  "type": _xml_text(finding.rule)})
        failure.text = _xml_text(f"{finding.path}:{finding.line}:{finding.column}: "
                                 f"{finding.severity} {finding.rule} {finding.message}")
    if not report.findings:
        ET.SubElement(suite, "testcase", {"name": "lintnews", "classname": "lintnews"})
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
