"""Writing a benchmark's report: the printed summary, then the JSON file."""
from __future__ import annotations

import json
import os


def finish(report: dict, print_report, out_path) -> None:
    """Print ``report`` with ``print_report`` and its total time; save it as JSON at ``out_path``."""
    print_report(report)
    print(f"\nTotal: {report['total_seconds']} s.")
    if out_path:
        os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
        with open(out_path, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=2)
        print(f"Report: {out_path}")
