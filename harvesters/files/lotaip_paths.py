"""LOTAIP publications read from file paths (and manifest columns).

Both laws' folder habits are understood::

    lotaip/2016/03/a1-organigrama.pdf            2004 law, literal a1, March 2016
    2016/03/literal-a1.pdf
    LOTAIP 2016/03 marzo/Literal a1) Organigrama.pdf
    2016/marzo/b2.xlsx
    Numeral 6/2024/05/Presupuesto ejecución.csv  2023 law, numeral 6, May 2024
    numeral-6/2024/5/metadatos.csv               (its metadata file)
    2024/05/numeral 1.2-1.3/diccionario.csv      (its dictionary file)

A year folder, then a month folder (1-12, zero-padded or not, a Spanish
month name, or both: "03-marzo"), and the literal or numeral either in a
"literal x"/"numeral x" folder or at the start of the file name followed by
a separator. Under the 2023 law the file name tells its role (metadata,
dictionary, otherwise the dataset). Manifest columns (``literal``, ``year``,
``month``, ``role``...) override what the path says.

Also the path-text helpers every layout uses (``plain``, ``stem_ext``,
``slug_path``, ``path_key``, ``humanize``, ``ckan_name``...).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional, Union

from ckan.plugins.toolkit import _

from ckanext.quito_gobiernoabierto.datasets.lotaip import (quito_lotaip_canonical_name,
                                                            quito_lotaip_canonical_title, regime_label)
from ckanext.quito_gobiernoabierto.datasets.lotaip_catalogue import FILE_ROLES, REGIMES, regime_of

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")
MONTH_NUMBERS = {**{name: number for number, name in enumerate(MONTHS, start=1)}, "setiembre": 9}
#: How a resource name says the role of a 2023 file ("Mayo 2024 – metadatos").
ROLE_WORDS = {"dataset": "conjunto de datos", "metadata": "metadatos", "dictionary": "diccionario"}
#: Dataset and resource fields the LOTAIP layout decides (manifest columns feed them first).
OWNED = frozenset({"lotaip_regime", "lotaip_literal", "lotaip_year", "month", "lotaip_file_role"})

_CODE = r"(?P<code>[a-z]\d?|\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?)(?=$|[\s_.)\-–,:;])"
_FILE_CODE = re.compile(r"^(?:(?P<word>literal|numeral)[\s_.-]*)?" + _CODE)
_FOLDER_CODE = re.compile(r"^(?:literal|numeral)[\s_.-]*" + _CODE)
_YEAR = re.compile(r"^(?:(?:lotaip|transparencia|ano)[\s_-]*)?(?P<year>(?:19|20)\d{2})$")
_MONTH = re.compile(r"^(?P<number>\d{1,2})?[\s_.-]*(?P<name>[a-z]+)?$")
_MARKER = re.compile(r"\b(?:lotaip|transparencia)\b")
_META_CODE = re.compile(r"^(?:(?:literal|numeral)[\s_.-]*)?(?P<code>\S+)$")
HASH_LEN = 8
NAME_MAX = 100
ACRONYMS = {"gtfs", "lotaip", "poa", "pdot", "dmq", "gad"}


# ------------------------------------------------- path text (every layout)

def plain(text: str) -> str:
    """Lower case without accents: "Ejecución Marzo" -> "ejecucion marzo"."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def stem_ext(path: str) -> tuple[str, str]:
    """The file name's stem and lower-case extension: "a/Barrios.KML" -> ("Barrios", "kml")."""
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return (stem, ext.lower()) if dot and stem else (name, "")


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:HASH_LEN]


def slug_path(path: str) -> str:
    """Each part unaccented, lower case, a-z 0-9 _ and -: "Capas/Barrios Sur" -> "capas/barrios-sur"."""
    return "/".join(re.sub(r"[^a-z0-9_]+", "-", plain(part)).strip("-") or short_hash(part)
                    for part in path.split("/"))


def stem_path(path: str) -> str:
    """The slug of the path without its extension: "Capas/Barrios.kml" -> "capas/barrios"."""
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    return slug_path(folder + stem_ext(path)[0])


def path_key(path: str) -> str:
    """A resource key from a file path: slugs with the extension, "A/Ene 1.CSV" -> "a/ene-1.csv"."""
    ext = stem_ext(path)[1]
    return stem_path(path) + (f".{ext}" if ext else "")


def ckan_name(wanted: str, guid: str, used: set) -> str:
    """A valid CKAN name (a-z, 0-9, - and _, 2 to 100 characters) from ``wanted``, not in
    ``used`` (then added): cut and ended with a hash of the guid when too long or taken."""
    base = re.sub(r"[^a-z0-9_-]+", "-", plain(wanted)).strip("-")
    name, attempt = base, 0
    if len(name) > NAME_MAX or len(name) < 2:
        name = f"{base[:NAME_MAX - HASH_LEN - 1].rstrip('-')}-{short_hash(guid)}".lstrip("-")
    while name in used:
        attempt += 1
        name = f"{base[:NAME_MAX - HASH_LEN - 1].rstrip('-')}-{short_hash(f'{guid}#{attempt}')}".lstrip("-")
    used.add(name)
    return name


def first_value(row: dict, *keys: str) -> Optional[str]:
    """The first of ``keys`` with a non-blank value in a manifest row, stripped."""
    return next((str(row[k]).strip() for k in keys if str(row.get(k) or "").strip()), None)


def humanize(text: str) -> str:
    """A title from a file stem: "tasa_de_empleo-2024" -> "Tasa de empleo 2024"."""
    words = [w.upper() if plain(w) in ACRONYMS else w for w in re.split(r"[_\s-]+", text.strip()) if w]
    title = " ".join(words)
    return title[:1].upper() + title[1:]


# ------------------------------------------------------------ LOTAIP paths

def month_number(text: str) -> Optional[int]:
    """1-12 from "3", "03", "marzo", "03-marzo", "03 marzo"; None otherwise."""
    match = _MONTH.match(plain(text))
    if not match or not (match["number"] or match["name"]):
        return None
    by_number = int(match["number"]) if match["number"] else None
    by_name = MONTH_NUMBERS.get(match["name"]) if match["name"] else None
    if (match["name"] and by_name is None) or (by_number and by_name and by_number != by_name):
        return None
    number = by_number if by_number is not None else by_name
    return number if 1 <= number <= 12 else None


def file_role(text: str) -> str:
    """The 2023 role a file name (or manifest value) tells."""
    text = plain(text)
    if text in FILE_ROLES:
        return text
    if "metadat" in text:
        return "metadata"
    return "dictionary" if "diccionario" in text or "dictionary" in text else "dataset"


@dataclass
class LotaipPath:
    """What a path (and its manifest row) says of a LOTAIP publication."""
    year: Optional[str] = None
    month: Optional[int] = None
    month_folder: Optional[str] = None  # the folder after the year, as written
    code: Optional[str] = None
    role: str = "dataset"
    marked: bool = False  # the path or row names LOTAIP, a literal or a numeral

    @property
    def looks_lotaip(self) -> bool:
        """Worth reporting as LOTAIP (``auto`` layout): marked, or year, month
        folder and a known code all found."""
        complete = self.year and self.month_folder is not None and self.code and regime_of(self.code)
        return bool(self.marked or complete)


def read(path: str, metadata: Optional[dict] = None) -> LotaipPath:
    """Year, month, code and role from ``path``, then from the manifest row."""
    parts = path.split("/")
    folders = [plain(part) for part in parts[:-1]]
    stem = plain(stem_ext(path)[0])
    found = LotaipPath(marked=any(_MARKER.search(text) for text in folders + [stem]))
    _read_dates(parts[:-1], folders, found)
    _read_code(folders, stem, found)
    found.role = file_role(stem)
    _read_metadata(metadata or {}, found)
    return found


def _read_dates(original: list, folders: list, found: LotaipPath) -> None:
    years = [i for i, folder in enumerate(folders) if _YEAR.match(folder)]
    if not years:
        return
    followed = [i for i in years if i + 1 < len(folders)]
    index = followed[-1] if followed else years[-1]
    found.year = _YEAR.match(folders[index])["year"]
    if index + 1 < len(folders):
        found.month_folder = original[index + 1]
        found.month = month_number(folders[index + 1])


def _read_code(folders: list, stem: str, found: LotaipPath) -> None:
    for folder in folders:
        match = _FOLDER_CODE.match(folder)
        if match:
            found.code, found.marked = match["code"], True
            return
    match = _FILE_CODE.match(stem)
    if match:
        found.code = match["code"]
        found.marked = found.marked or bool(match["word"])


def _read_metadata(metadata: dict, found: LotaipPath) -> None:
    code = first_value(metadata, "literal", "numeral", "lotaip_literal")
    if code:
        match = _META_CODE.match(plain(code))
        found.code, found.marked = (match["code"] if match else plain(code)), True
    year = first_value(metadata, "year", "lotaip_year")
    if year:
        found.year = year
    month = first_value(metadata, "month")
    if month:
        found.month_folder, found.month = month, month_number(month)
    role = first_value(metadata, "lotaip_file_role", "role")
    if role:
        found.role = file_role(role)


@dataclass(frozen=True)
class Entry:
    """One month's file of a publication: law, code, year, month, role."""
    regime: str
    code: str
    year: int
    month: int
    role: Optional[str]  # 2023 law only

    def guid(self, dependency: str) -> str:
        return f"lotaip/{dependency}/{self.code}/{self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}" + (f"-{self.role}" if self.role else "")

    def dataset_fields(self, dependency: dict) -> dict:
        org_title = dependency.get("title") or dependency["name"]
        return {"lotaip_regime": self.regime, "lotaip_literal": self.code, "lotaip_year": str(self.year),
                "name": quito_lotaip_canonical_name(dependency["name"], self.code, self.year),
                "title": quito_lotaip_canonical_title(org_title, self.regime, self.code, self.year)}

    def resource_fields(self) -> dict:
        name = f"{MONTHS[self.month - 1].capitalize()} {self.year}"
        fields = {"month": str(self.month), "name": name}
        if self.role:
            fields.update(lotaip_file_role=self.role, name=f"{name} – {ROLE_WORDS[self.role]}")
        return fields


def resolve(found: LotaipPath) -> Union[Entry, str]:
    """The entry, or why the file is no LOTAIP publication (translated)."""
    if not found.year:
        return _("no LOTAIP year folder (e.g. 2016/03/...)")
    if not re.fullmatch(r"\d{4}", found.year):
        return _("“{year}” is not a year").format(year=found.year)
    if found.month_folder is None:
        return _("no month folder after the year")
    if found.month is None:
        return _("“{folder}” is not a month (1 to 12 or a month name)").format(folder=found.month_folder)
    if not found.code:
        return _("no literal or numeral at the start of the file name or in a folder")
    regime = regime_of(found.code)
    if regime is None:
        return _("“{code}” is not a literal of LOTAIP 2004 nor a numeral of LOTAIP 2023").format(code=found.code)
    year = int(found.year)
    if year < regime.first_year or (regime.last_year is not None and year > regime.last_year):
        return _out_of_period(regime.key, found.code, year)
    role = found.role if regime.key == "2023" else None
    return Entry(regime.key, found.code, year, found.month, role)


def _out_of_period(regime: str, code: str, year: int) -> str:
    law = REGIMES[regime]
    if law.last_year is None:
        return _("{code} belongs to {law}, published from {first}; {year} is before it").format(
            code=f"{law.kind} {code}", law=regime_label(regime), first=law.first_year, year=year)
    return _("{code} belongs to {law}, published from {first} to {last}; {year} is outside it").format(
        code=f"{law.kind} {code}", law=regime_label(regime), first=law.first_year, last=law.last_year, year=year)
