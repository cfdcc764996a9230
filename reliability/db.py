"""Read-only checks on the private cluster's database (never the machine's PostgreSQL).

The connection comes from the run's own ini (``sqlalchemy.url``, a libpq URI on
the private cluster's unix socket); each check opens and closes its own
connection, so a PostgreSQL restart between two checks is harmless.
"""
from __future__ import annotations

import configparser
import time

import psycopg2

ACTIVE_NAMES = "SELECT name FROM package WHERE state = 'active' AND type <> 'harvest'"


def database_url(config_path: str) -> str:
    """The ini's ``sqlalchemy.url``, refused unless it is the private cluster's."""
    parser = configparser.RawConfigParser(strict=False)
    parser.read(config_path, encoding="utf-8")
    url = parser.get("app:main", "sqlalchemy.url")
    if "/var/reliability/" not in url:
        raise RuntimeError(f"{config_path} does not point at the private cluster: {url}")
    return url


class Checks:
    """Queries of the run's database; retried while the server restarts."""

    def __init__(self, config_path: str):
        self.url = database_url(config_path)

    def rows(self, sql: str, params: tuple = (), attempts: int = 30) -> list[tuple]:
        """The rows of one query on a new connection, retried once a second while the server is down."""
        for attempt in range(attempts):
            try:
                with psycopg2.connect(self.url) as conn, conn.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall()
            except psycopg2.OperationalError:
                if attempt == attempts - 1:
                    raise
                time.sleep(1)
        return []

    def dataset_names(self) -> list[str]:
        """Names of every active dataset (harvest sources excluded)."""
        return [name for (name,) in self.rows(ACTIVE_NAMES)]

    def notes(self, names: list[str]) -> dict[str, str]:
        """Descriptions of the named datasets."""
        rows = self.rows("SELECT name, notes FROM package WHERE name = ANY(%s)", (list(names),))
        return dict(rows)

    def source_id(self, source_name: str) -> str:
        """Id of a harvest source by name (empty when missing)."""
        rows = self.rows("SELECT id FROM package WHERE name = %s AND type = 'harvest'", (source_name,))
        return rows[0][0] if rows else ""

    def harvested(self, source_id: str) -> dict:
        """Datasets of a harvest source: active ones, unique names, guids and titles."""
        rows = self.rows("""
            SELECT p.id, p.name, p.title, ho.guid, ho.current FROM harvest_object ho
            JOIN package p ON p.id = ho.package_id
            WHERE ho.harvest_source_id = %s AND p.state = 'active'""", (source_id,))
        current = [r for r in rows if r[4]]
        packages = {r[0]: (r[1], r[2]) for r in rows}
        titles = [title for _, title in packages.values()]
        return {"datasets": len(packages), "names": len({n for n, _ in packages.values()}),
                "titles": len(set(titles)), "duplicate_titles": sorted({t for t in titles if titles.count(t) > 1}),
                "current_objects": len(current), "current_guids": len({r[3] for r in current}),
                "without_current_object": len(set(packages) - {r[0] for r in current})}

    def jobs(self, source_id: str) -> list[dict]:
        """The source's harvest jobs, oldest first."""
        rows = self.rows("""SELECT id, status, created FROM harvest_job WHERE source_id = %s
                            ORDER BY created""", (source_id,))
        return [{"id": r[0], "status": r[1], "created": r[2].isoformat()} for r in rows]

    def imported_count(self, source_id: str) -> int:
        """Active datasets created so far by a source (polled while a job runs)."""
        rows = self.rows("""SELECT count(DISTINCT p.id) FROM harvest_object ho JOIN package p ON p.id = ho.package_id
                            WHERE ho.harvest_source_id = %s AND p.state = 'active'""", (source_id,), attempts=3)
        return rows[0][0]

    def names_titled_like(self, pattern: str) -> list[str]:
        """Names of active datasets whose title matches ``pattern`` (SQL LIKE)."""
        return [n for (n,) in self.rows("SELECT name FROM package WHERE state = 'active' AND title LIKE %s",
                                        (pattern,))]

    def titled_like(self, pattern: str) -> dict:
        """Active datasets whose title matches ``pattern`` (SQL LIKE): how many, duplicated titles."""
        titles = [t for (t,) in self.rows("SELECT title FROM package WHERE state = 'active' AND title LIKE %s",
                                          (pattern,))]
        return {"count": len(titles), "duplicates": sorted({t for t in titles if titles.count(t) > 1})}

    def unlinked(self, source_id: str, pattern: str) -> list[str]:
        """Active datasets titled like a source's files that no harvest object of it points at."""
        rows = self.rows("""SELECT p.name FROM package p WHERE p.state = 'active' AND p.title LIKE %s
                            AND NOT EXISTS (SELECT 1 FROM harvest_object ho WHERE ho.package_id = p.id
                                            AND ho.harvest_source_id = %s) ORDER BY p.name""",
                         (pattern, source_id))
        return [name for (name,) in rows]
