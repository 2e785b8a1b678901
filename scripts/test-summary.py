#!/usr/bin/env python3
"""Sums the TRX files of one `dotnet test` run into a single closing line: 'N passed, N failed'.

Before it, the lines tests print with the prefix 'figures: ' (measured figures worth seeing in
every run, e.g. the face-api.js reference comparison), in test order."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
totals = {"passed": 0, "failed": 0, "skipped": 0}
failed_names = []
figures = []
for trx in sorted(Path(sys.argv[1]).glob("**/*.trx")):
    root = ET.parse(trx).getroot()
    for result in root.iterfind(".//t:UnitTestResult", NS):
        outcome = result.get("outcome")
        stdout = result.find("t:Output/t:StdOut", NS)
        if stdout is not None and stdout.text:
            figures += [line.strip() for line in stdout.text.splitlines() if line.strip().startswith("figures: ")]
        if outcome == "Passed":
            totals["passed"] += 1
        elif outcome == "NotExecuted":
            totals["skipped"] += 1
        else:
            totals["failed"] += 1
            failed_names.append(result.get("testName"))
for line in figures:
    print(line)
for name in failed_names:
    print(f"FAILED: {name}")
print(f"tests: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
sys.exit(1 if totals["failed"] or totals["passed"] == 0 else 0)
