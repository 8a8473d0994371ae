"""Rich progress bars, one per stage, with counts, ETA and cost so far."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class StageProgress:
    """Progress display of a study run.

    Parameters
    ----------
    console:
        Where to draw (stderr by default).
    enabled:
        ``False`` draws nothing (the callbacks still count).
    spent_before:
        Cost already recorded in the store (resumed runs).
    """

    def __init__(
        self, console: Console | None = None, *, enabled: bool = True, spent_before: float = 0.0
    ) -> None:
        self.spent = spent_before
        self._progress = Progress(
            TextColumn("[bold]{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            TextColumn("cost ${task.fields[cost]:.4f}"),
            console=console or Console(stderr=True),
            disable=not enabled,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StageProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        """Add (or reset the total of) the bar of stage ``name``."""
        if name in self._tasks:
            self._progress.update(self._tasks[name], total=total)
            return
        self._tasks[name] = self._progress.add_task(name, total=total, cost=self.spent)

    def total(self, name: str, total: int) -> None:
        """Set the total of stage ``name``."""
        self.stage(name, total)

    def advance(self, name: str, n: int = 1, cost: float = 0.0) -> None:
        """``n`` more items of stage ``name`` finished, costing ``cost`` USD."""
        self.spent += cost
        self._progress.update(self._tasks[name], advance=n, cost=self.spent)

    def completed(self, name: str) -> int:
        """Items of stage ``name`` finished so far."""
        return int(self._progress.tasks[self._tasks[name]].completed)
