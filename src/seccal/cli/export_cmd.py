"""``seccal export``: a run's results table as Parquet, CSV or JSONL."""

from __future__ import annotations

from pathlib import Path

import typer

from seccal.core.labels import check_label_source
from seccal.core.results import STUDY_LABEL_COLUMNS
from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError

_HELP = """Write one row per generation with its confidences and verdicts.

RUN is a run folder (holding store.sqlite) or a study name under ./runs.
The table is what `seccal metrics` reads directly: confidence columns
conf_security_verbal, conf_functional_verbal, conf_<target>_verbal_<variant>,
conf_<target>_joint, conf_ptrue, conf_consistency, conf_likelihood and
seq_logprob; labels secure_dynamic, secure_static, n_findings (static findings of medium+ severity),
secure (per the study's label source) and correct, each 1, 0 or empty
(unknown: the check could not run), with secure_reason / correct_reason saying
why, and isolation (the sandbox's); plus model, provider, temperature, sample,
suite, task_id (suite/id, the bootstrap cluster), task, cwe (;-joined), cwes
(JSON list), language, kind, code_lines, cost_usd, cost_<stage>_usd and
tokens_in / tokens_out (see seccal.core.results).

With --bundle, write a replication bundle instead (config, generations,
confidences, verdicts, metrics, versions, environment; every file checksummed)
from which `seccal report BUNDLE` rebuilds the same report on another machine.
"""

FORMATS = ("parquet", "csv", "jsonl")


def _run_dir(run: str) -> Path:
    for candidate in (Path(run), Path("runs") / run):
        if (candidate / STORE_FILENAME).is_file():
            return candidate
    raise InputError(f"{run}: no run store ({STORE_FILENAME}) in {run} or runs/{run}")


def export_table(run_dir: Path, out: Path, fmt: str) -> int:
    """Write the results table of ``run_dir`` to ``out``; returns the number of rows.

    Raises
    ------
    InputError
        When the run has no stored study config.
    """
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.study.store import RunStore
    from seccal.study.table import results_table

    with RunStore(run_dir / STORE_FILENAME) as store:
        config = store.get_meta("config")
        if not config:
            raise InputError(
                f"{run_dir / STORE_FILENAME}: no study config stored; not a seccal run"
            )
        variants = config.get("elicit", {}).get("variants") or ["zero_shot"]
        source = check_label_source(str(config["label_source"]))
        df = results_table(store, label_source=source, first_variant=variants[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        # Labels as float 1.0 / 0.0 / NaN: readers that do not know pandas' nullable
        # integers (pd.NA) still see "unknown" as missing, never as a value.
        labels = [c for c in (*STUDY_LABEL_COLUMNS, "n_findings") if c in df.columns]
        df[labels] = df[labels].astype("float64")
        df.to_parquet(out, index=False)
    elif fmt == "csv":
        df.to_csv(out, index=False)
    else:
        df.to_json(out, orient="records", lines=True)
    return len(df)


def export(
    run: str = typer.Argument(..., help="Run folder, or a study name under ./runs."),
    fmt: str = typer.Option("parquet", "--format", "-f", help="parquet, csv or jsonl."),
    out: Path = typer.Option(
        None, "--out", "-o", help="Output file (default: RUN/results.FORMAT; RUN/bundle)."
    ),
    bundle: bool = typer.Option(False, "--bundle", help="Write a replication bundle folder."),
) -> None:
    if bundle:
        # lazy: every command module is imported for `seccal --help`; keep start-up fast
        from seccal.report import bundle_run

        run_dir = _run_dir(run)
        folder = bundle_run(run_dir, out or run_dir / "bundle")
        typer.echo(f"wrote replication bundle {folder}")
        return
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    run_dir = _run_dir(run)
    target = out or run_dir / f"results.{fmt}"
    n = export_table(run_dir, target, fmt)
    typer.echo(f"wrote {n} rows to {target}")


def register(app: typer.Typer) -> None:
    """Add ``seccal export``."""
    app.command("export", help=_HELP)(export)
