#!/usr/bin/env python3
"""Writes TestResults/reliability.md from the TRX files of a tests/run.sh run: one row per reliability or
bad-input corpus test (namespace BudgetEval.Tests.Reliability) with its outcome. When the run had such
tests, the same table replaces the "latest run" block of docs/reliability.md.

Usage: reliability-report.py RESULTS_DIR DOC_PATH
"""
import datetime
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
PREFIX = "BudgetEval.Tests.Reliability."


def rows(results_dir):
    found = []
    for trx in sorted(glob.glob(os.path.join(results_dir, "*.trx"))):
        root = ET.parse(trx).getroot()
        for result in root.iter(NS + "UnitTestResult"):
            name = result.get("testName", "")
            if not name.startswith(PREFIX):
                continue
            seconds = 0.0
            m = re.match(r"(\d+):(\d+):([\d.]+)", result.get("duration", ""))
            if m:
                seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
            message = ""
            for text in result.iter(NS + "Message"):
                message = (text.text or "").strip().splitlines()[0][:160] if text.text else ""
                break
            found.append((name[len(PREFIX):], result.get("outcome", "?"), seconds, message))
    return found


def table(found):
    passed = sum(1 for r in found if r[1] == "Passed")
    lines = [
        f"Run of {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC: {passed} passed, {len(found) - passed} failed "
        f"(of {len(found)} reliability and corpus tests).",
        "",
        "| test | result | seconds |",
        "|---|---|---|",
    ]
    for name, outcome, seconds, message in sorted(found):
        cell = name.replace("|", "\\|")
        result = "passed" if outcome == "Passed" else f"**{outcome.lower()}**" + (f": {message.replace('|', '/')}" if message else "")
        lines.append(f"| {cell} | {result} | {seconds:.1f} |")
    return "\n".join(lines) + "\n"


def main():
    results_dir, doc = sys.argv[1], sys.argv[2]
    found = rows(results_dir)
    out = os.path.join(results_dir, "reliability.md")
    body = table(found) if found else "No reliability or corpus tests ran in this run.\n"
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Reliability and bad-input corpus: latest run\n\n" + body)
    if found and os.path.exists(doc):
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        start, end = "<!-- latest-run:start -->", "<!-- latest-run:end -->"
        if start in text and end in text:
            text = text[: text.index(start) + len(start)] + "\n" + body + text[text.index(end):]
            with open(doc, "w", encoding="utf-8") as f:
                f.write(text)
    print(out)


if __name__ == "__main__":
    main()
