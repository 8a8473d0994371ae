from rich.table import Table

from seccal.cli.console import PIPE_WIDTH, wide_console


def test_a_pipe_gets_wide_tables_not_80_columns() -> None:
    console = wide_console()
    assert not console.is_terminal and console.width == PIPE_WIDTH
    table = Table("name", "state")
    long = "qwen2.5-coder-1.5b-with-a-long-suffix-" + "x" * 40
    table.add_row(long, "not installed")
    with console.capture() as cap:
        console.print(table)
    assert long in cap.get()
