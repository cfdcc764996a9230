"""Load on the portal: anonymous clients and data stewards, as threads with ``requests`` sessions.

The anonymous mix (weights out of 100): the search page with a facet filter
now and then (35), ``package_search`` through the API with four facets (20),
a dataset page (30), a DCAT catalogue page of 100 datasets (5), the home page
(10). Each client pauses between requests (exponential, mean ``think_ms``,
capped at five times the mean), as a person reading does. The stewards edit
their dependency's datasets through ``package_patch`` with their API tokens,
one edit every ``steward_pause`` seconds on average, and remember what the
portal acknowledged (:func:`reliability.stats.lost_edits` checks it later).
"""
from __future__ import annotations

import json
import random
import threading
import time
from typing import Optional
from urllib.parse import urlencode

import requests

MIX = (("search_page", 35), ("search_api", 20), ("dataset_page", 30), ("catalog_page", 5), ("home", 10))
API_FACETS = json.dumps(["organization", "tags", "res_format", "license_id"])
MARK = "\n\nRevisión de fiabilidad: "
SEARCH_ERROR = 'id="search-error"'
TIMEOUT = 30


class Recorder:
    """Every request's sample, on the run's monotonic clock (:mod:`reliability.stats`)."""

    def __init__(self, origin: float):
        self.origin = origin
        self.samples: list[dict] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.monotonic() - self.origin

    def add(self, kind: str, start: float, status: int, error: Optional[str] = None,
            page_error: bool = False) -> None:
        """Record one request (``page_error``: answered 2xx with an error message instead of content)."""
        sample = {"kind": kind, "start": round(start, 4), "end": round(self.now(), 4), "status": status,
                  "error": error}
        if page_error:
            sample["page_error"] = True
        with self._lock:
            self.samples.append(sample)

    def since(self, start: float) -> list[dict]:
        with self._lock:
            return [s for s in self.samples if s["start"] >= start]


class Api:
    """CKAN's action API as one user (anonymous without a token)."""

    def __init__(self, base: str, token: Optional[str] = None):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = token

    def action(self, name: str, data: dict, timeout: float = TIMEOUT) -> tuple[int, object]:
        """(HTTP status or 0, the result or the error/body text)."""
        try:
            response = self.session.post(f"{self.base}/api/3/action/{name}", json=data, timeout=timeout)
        except requests.RequestException as error:
            return 0, type(error).__name__
        try:
            body = response.json()
        except ValueError:
            return response.status_code, response.text[:300]
        return response.status_code, body.get("result") if body.get("success") else body.get("error")

    def require(self, name: str, data: dict, timeout: float = TIMEOUT):
        """The result of an action that must succeed (RuntimeError otherwise)."""
        status, result = self.action(name, data, timeout)
        if status != 200:
            raise RuntimeError(f"{name}: HTTP {status}: {result}")
        return result


def get(session: requests.Session, recorder: Recorder, kind: str, url: str) -> int:
    """One timed GET; its status (0 when no response came)."""
    start, page_error = recorder.now(), False
    try:
        response = session.get(url, timeout=TIMEOUT)
        status = response.status_code
        # CKAN's search page answers 200 with "There was an error while searching" when the engine fails.
        page_error = status == 200 and SEARCH_ERROR in response.text
        error = None if status < 400 and not page_error else (  # which request failed, and what it said
            url.split("/", 3)[-1][:150] + (" -> " + response.text[:200] if status >= 400 and "json" in
                                           response.headers.get("Content-Type", "") else ""))
    except requests.RequestException as e:
        status, error = 0, type(e).__name__
    recorder.add(kind, start, status, error, page_error)
    return status


def parse_mix(text: str) -> tuple:
    """``"search_page=50,search_api=50"`` -> ((kind, weight), ...); empty text: the default :data:`MIX`."""
    if not text.strip():
        return MIX
    known, out = dict(MIX), []
    for part in text.split(","):
        kind, _, weight = part.strip().partition("=")
        if kind not in known or not weight.strip().isdigit():
            raise ValueError(f"RELIABILITY_MIX: {part!r} is not KIND=WEIGHT with KIND among {', '.join(known)}")
        out.append((kind, int(weight)))
    if not sum(w for _, w in out):
        raise ValueError("RELIABILITY_MIX: the weights add up to zero")
    return tuple(out)


def path_for(kind: str, rng: random.Random, content: dict) -> str:
    """A request of ``kind`` over the sample catalogue in ``content`` (the state file)."""
    word = rng.choice(content["words"])
    if kind == "search_page":
        params = {"q": word}
        if rng.random() < 0.4:
            facet = rng.choice(sorted(content["facets"]))
            params[facet] = rng.choice(content["facets"][facet])
        if rng.random() < 0.2:
            params["page"] = 2
        return "/dataset/?" + urlencode(params)
    if kind == "search_api":
        return "/api/3/action/package_search?" + urlencode({"q": word, "rows": 20, "facet.field": API_FACETS})
    if kind == "dataset_page":
        return "/dataset/" + rng.choice(content["public_names"])
    if kind == "catalog_page":
        return f"/catalog.ttl?page={rng.randint(1, max(1, content['public_count'] // 100))}"
    return "/"


def pause(rng: random.Random, mean_seconds: float, stop: threading.Event) -> None:
    """A reader's pause (exponential, capped), cut short by ``stop``."""
    if mean_seconds > 0:
        stop.wait(min(rng.expovariate(1 / mean_seconds), 5 * mean_seconds))


def client(base: str, content: dict, recorder: Recorder, stop: threading.Event, seed: int,
           think_ms: float, mix: tuple = MIX) -> None:
    """One anonymous visitor until ``stop``."""
    rng, session = random.Random(seed), requests.Session()
    kinds, weights = zip(*mix)
    while not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        get(session, recorder, kind, base + path_for(kind, rng, content))
        pause(rng, think_ms / 1000, stop)


class Steward:
    """A data steward editing the descriptions of their dependency's datasets."""

    def __init__(self, base: str, info: dict, recorder: Recorder, seed: int):
        self.api, self.user = Api(base, info["token"]), info["user"]
        self.datasets, self.recorder = info["datasets"], recorder
        self.rng, self.count = random.Random(seed), 0
        self.edits: list[dict] = []
        self.bases: dict[str, str] = {}

    def base_notes(self, name: str) -> tuple[Optional[str], int, object]:
        """The description without this run's marks; (None, status, error) when it cannot be read."""
        if name not in self.bases:
            status, result = self.api.action("package_show", {"id": name})
            if status != 200:
                return None, status, f"package_show: {result}"
            self.bases[name] = (result.get("notes") or "").split(MARK)[0]
        return self.bases[name], 200, None

    def edit_once(self, name: Optional[str] = None) -> dict:
        """One ``package_patch``; the edit as recorded (status, error text when refused)."""
        name = name or self.rng.choice(self.datasets)
        self.count += 1
        marker = f"{self.user}-{self.count}-{int(time.time())}"
        start = self.recorder.now()
        base, status, result = self.base_notes(name)
        if base is not None:
            status, result = self.api.action("package_patch", {"id": name, "notes": base + MARK + marker})
        self.recorder.add("edit", start, status, None if status == 200 else str(result)[:200])
        edit = {"dataset": name, "marker": marker, "status": status, "t": round(start, 2),
                "error": None if status == 200 else str(result)[:300]}
        self.edits.append(edit)
        return edit

    def loop(self, stop: threading.Event, pause_seconds: float) -> None:
        """Edit until ``stop``, pausing between edits."""
        while not stop.is_set():
            self.edit_once()
            pause(self.rng, pause_seconds, stop)


class LoadPhase:
    """Clients and stewards in threads, from :meth:`start` to :meth:`stop`."""

    def __init__(self, base: str, content: dict, recorder: Recorder, clients: int, think_ms: float,
                 stewards: list[Steward], steward_pause: float = 2.0, seed: int = 0, mix: tuple = MIX):
        self.stop_event, self.threads = threading.Event(), []
        for i in range(clients):
            self.threads.append(threading.Thread(
                target=client, args=(base, content, recorder, self.stop_event, seed * 1000 + i, think_ms, mix),
                daemon=True))
        for steward in stewards:
            self.threads.append(threading.Thread(target=steward.loop, args=(self.stop_event, steward_pause),
                                                 daemon=True))
        self.recorder, self.started = recorder, None

    def start(self) -> "LoadPhase":
        """Start every thread; the phase's start on the recorder's clock is kept."""
        self.started = self.recorder.now()
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> float:
        """Stop and join; the phase's seconds."""
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 5)
        return self.recorder.now() - self.started


def wait_ready(base: str, timeout: float = 180) -> float:
    """Seconds until ``status_show`` answers 200."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if requests.get(base + "/api/3/action/status_show", timeout=5).status_code == 200:
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the portal did not answer on {base} within {timeout} s")
