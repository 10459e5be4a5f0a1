"""Ids seen recently, to drop a webhook delivery that arrives a second time."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class RecentIds:
    """The last ``size`` ids seen, in memory (a restart forgets them)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: OrderedDict[Hashable, None] = OrderedDict()

    def seen_before(self, id_: Hashable) -> bool:
        """Whether ``id_`` was seen already; records it either way."""
        if id_ in self._ids:
            self._ids.move_to_end(id_)
            return True
        self._ids[id_] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return False
