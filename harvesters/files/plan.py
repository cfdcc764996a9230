"""What the harvester moves between its stages: remote files and the datasets
planned from them. Plain dataclasses, stored as JSON in harvest objects."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class RemoteFile:
    """A file as the source lists it.

    ``path`` is relative to the source root, '/'-separated, never absolute
    and never with '..' (the sources refuse such names); ``url`` is where it is
    fetched from (``file://`` for a shared folder); the change tokens are what
    the source tells without a download."""
    path: str
    url: str
    size: Optional[int] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    sha256: Optional[str] = None  # given by a manifest, or computed at fetch
    metadata: dict = field(default_factory=dict)  # manifest columns for this file
    error: Optional[str] = None  # why the source could not describe it (it is fetched again)

    def token(self) -> dict:
        """What tells a changed file from an unchanged one."""
        token = {"size": self.size, "etag": self.etag, "last_modified": self.last_modified, "sha256": self.sha256}
        return dict(token, error=self.error) if self.error else token


@dataclass
class PlannedResource:
    """One resource of a planned dataset: a file and its resource fields.

    ``key`` identifies the resource inside its dataset across runs (e.g.
    ``"2016-03"`` for a LOTAIP month, ``"2024-05-metadata"`` under the 2023
    law): a renamed file with the same key updates the same resource."""
    key: str
    file: RemoteFile
    fields: dict = field(default_factory=dict)  # name, description, format, month, lotaip_file_role...


@dataclass
class PlannedDataset:
    """A dataset to create or update from files.

    ``guid`` is stable across runs (the harvest object's guid), e.g.
    ``lotaip/<dependency>/a1/2016``; ``fields`` are dataset fields known from
    the layout (type-specific ones included); ``inspect`` names the inspector
    that fills more from the files (``gtfs``, ``geo``, ``tabular`` or None);
    ``defaults`` are the source's own defaults for this type, which what the
    inspector reads overrides."""
    guid: str
    dataset_type: str
    fields: dict = field(default_factory=dict)
    resources: list = field(default_factory=list)  # PlannedResource
    inspect: Optional[str] = None
    defaults: dict = field(default_factory=dict)  # the source's defaults: under what the files say

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "PlannedDataset":
        resources = [PlannedResource(key=r["key"], file=RemoteFile(**r["file"]), fields=r.get("fields") or {})
                     for r in data.get("resources") or []]
        return cls(guid=data["guid"], dataset_type=data["dataset_type"], fields=data.get("fields") or {},
                   resources=resources, inspect=data.get("inspect"), defaults=data.get("defaults") or {})

    def tokens(self) -> dict[str, Any]:
        """Resource key -> file token: equal tokens mean nothing to fetch."""
        return {r.key: dict(r.file.token(), path=r.file.path) for r in self.resources}


@dataclass
class LayoutResult:
    """Datasets planned from a listing, and the files no rule took (reported)."""
    datasets: list = field(default_factory=list)  # PlannedDataset
    unmatched: list = field(default_factory=list)  # (path, reason)
