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
    missing: list[str] = dataclasses.field(default_factory=list)
    deleted: list[str] = dataclasses.field(default_factory=list)

    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def lines(self) -> list[str]:
        out = [
            f"{self.title}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.problems)} problems"
        ]
        out += [f"  created: {n}" for n in self.created]
        out += [f"  updated: {n}" for n in self.updated]
        out += [f"  deleted: {n}" for n in self.deleted]
        out += [f"  missing from the file (kept; --remove-missing deletes): {n}" for n in self.missing]
        out += [f"  problem: {n}" for n in self.problems]
        return out

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)
