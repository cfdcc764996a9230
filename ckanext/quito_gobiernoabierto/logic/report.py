"""A small change report shared by the idempotent loaders (demo, organigram)."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Report:
    """What a loader did: names created, updated, left unchanged, problems."""

    title: str
    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)

    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        out = [
            f"{self.title}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.problems)} problems"
        ]
        out += [f"  created: {n}" for n in self.created]
        out += [f"  updated: {n}" for n in self.updated]
        out += [f"  problem: {n}" for n in self.problems]
        return out
