"""Fixtures of the inspector tests: no database, no CKAN app."""
import datetime

import pytest

from ckanext.quito_gobiernoabierto.inspectors.base import Limits

#: The day the tests validate on (the sample feed runs through 2025).
TODAY = datetime.date(2025, 3, 3)


@pytest.fixture
def fast():
    """Default limits without the external GTFS validator."""
    return Limits(validator_timeout=0)


@pytest.fixture
def today():
    """Freeze the date the inspectors (and the validator they start) use;
    pytest's own clock stays real (its ``--durations`` read it)."""
    from freezegun import freeze_time

    with freeze_time(TODAY, tick=True, ignore=["_pytest.timing"]):
        yield TODAY
