"""``seccal models``: list providers and prices, try a model, export the response cache."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from seccal.errors import InputError

models_app = typer.Typer(
    help="Model providers, prices, one-off generations and the response cache.",
    no_args_is_help=True,
)
console = Console()

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
    params = {"model_path": str(model_path)} if model_path else {}
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
