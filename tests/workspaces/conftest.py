import datetime

import pytest
import time_machine

# Monday 1 June 2026, 09:00 in Jerusalem: bookings from Tuesday on are in the future.
NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
