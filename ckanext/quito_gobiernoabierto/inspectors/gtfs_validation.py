"""The GTFS Schedule rules of MobilityData's canonical validator, run through
``gtfs-validator`` (a pure-Python reimplementation of it, no JVM, no
dependencies) in a child process with a time limit, so that a pathological
feed can neither hang nor exhaust the harvester's worker.

Its ``report.json`` is the upstream validator's format: a list of notices
with a code, a severity (ERROR, WARNING, INFO) and a count.
"""
from __future__ import annotations

import datetime
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from typing import Optional

from ckanext.quito_gobiernoabierto.inspectors.base import _, describe

MODULE = "gtfs_validator"


@dataclass
class ValidatorReport:
    """What the validator found: notice codes with their counts, by severity."""

    tool: str
    errors: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    infos: dict = field(default_factory=dict)
    #: Why the run failed, when it did (then the notices are empty).
    failure: Optional[str] = None


def available() -> bool:
    """Whether the gtfs-validator package is installed."""
    return importlib.util.find_spec(MODULE) is not None


def tool_name() -> str:
    """The validator and the MobilityData rule set it implements, e.g.
    "gtfs-validator 0.1.2 (MobilityData rules v8.0.1)"."""
    version = importlib_metadata.version("gtfs-validator")
    try:
        spec = importlib.util.find_spec(MODULE)
        notices = os.path.join(os.path.dirname(spec.origin), "data", "canonical_notices.json")
        with open(notices, encoding="utf-8") as f:
            tag = json.load(f)["_meta"]["tag"]
        return f"gtfs-validator {version} (MobilityData rules {tag})"
    except Exception:
        return f"gtfs-validator {version}"


def _python() -> str:
    """The interpreter to run the validator with (sys.executable may be a
    WSGI server's binary)."""
    if "python" in os.path.basename(sys.executable or ""):
        return sys.executable
    return os.path.join(sys.prefix, "bin", "python3")


def _notices(report: dict, severity: str) -> dict:
    return {n["code"]: int(n.get("totalNotices", 1)) for n in report.get("notices", [])
            if n.get("severity") == severity}


def _read(out: str, tool: str) -> ValidatorReport:
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    result = ValidatorReport(tool, _notices(report, "ERROR"), _notices(report, "WARNING"), _notices(report, "INFO"))
    try:
        with open(os.path.join(out, "system_errors.json"), encoding="utf-8") as f:
            system = [n["code"] for n in json.load(f).get("notices", [])]
    except (OSError, ValueError, KeyError):
        system = []
    if system:
        result.failure = ", ".join(system)
    return result


def validate(path: str, timeout: int, today: Optional[datetime.date] = None) -> Optional[ValidatorReport]:
    """Run the validator on the feed at ``path``; None when it is not
    installed or disabled (``timeout`` 0)."""
    if timeout <= 0 or not available():
        return None
    tool = tool_name()
    day = (today or datetime.date.today()).isoformat()
    with tempfile.TemporaryDirectory(prefix="quito-gtfs-") as out:
        command = [_python(), "-m", f"{MODULE}.cli", "-i", os.path.abspath(path), "-o", out, "-d", day]
        try:
            subprocess.run(command, cwd=out, timeout=timeout, check=False, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            return _read(out, tool)
        except subprocess.TimeoutExpired:
            return ValidatorReport(tool, failure=_("it took longer than {seconds} seconds").format(seconds=timeout))
        except Exception as error:  # no report written, unreadable report
            return ValidatorReport(tool, failure=describe(error))
