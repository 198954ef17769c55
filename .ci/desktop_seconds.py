"""Print the seconds each test file took, from JUnit XML files, as .ci/desktop-seconds.txt
keeps them (tests/run splits the desktop suite into shards of about equal time by them)."""

import collections
import sys
import xml.etree.ElementTree as ET

HEADER = """\
# Seconds each desktop test file took in one run of the desktop suite (one X server,
# on 2 cores with the machine busy): tests/run splits the desktop suite into shards of about
# equal time by them. A file not listed counts 7 s a test. Renew it when the shards' times
# (tests/run shows each) drift apart, from a desktop run's JUnit XML (pytest --junitxml=...):
#   python3 .ci/desktop_seconds.py desktop.xml >.ci/desktop-seconds.txt"""

seconds: collections.Counter[str] = collections.Counter()
for path in sys.argv[1:]:
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - our own pytest output
        seconds[case.get("classname", "").replace(".", "/") + ".py"] += float(case.get("time", 0))
print(HEADER)
for name, spent in sorted(seconds.items()):
    print(f"{spent:6.1f} {name}")
