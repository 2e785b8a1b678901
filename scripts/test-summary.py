#!/usr/bin/env python3
"""Sums the TRX files of one `dotnet test` run into a single closing line: 'N passed, N failed'."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
totals = {"passed": 0, "failed": 0, "skipped": 0}
failed_names = []
for trx in sorted(Path(sys.argv[1]).glob("**/*.trx")):
    root = ET.parse(trx).getroot()
    for result in root.iterfind(".//t:UnitTestResult", NS):
        outcome = result.get("outcome")
        if outcome == "Passed":
            totals["passed"] += 1
        elif outcome == "NotExecuted":
            totals["skipped"] += 1
        else:
            totals["failed"] += 1
            failed_names.append(result.get("testName"))
for name in failed_names:
    print(f"FAILED: {name}")
print(f"tests: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
sys.exit(1 if totals["failed"] or totals["passed"] == 0 else 0)
