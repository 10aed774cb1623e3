"""``peergraph keys``: create, list and revoke the API keys that grant restricted read and upload."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from api.cli_support import out, run, state
from graph.services.access import ROLES, ApiKeyFile

keys_app = typer.Typer(
    help="API keys: bearer tokens for restricted read (reader) and uploads (editor).", no_args_is_help=True
)


def _key_file() -> ApiKeyFile:
    return ApiKeyFile(state.settings.api_keys_path)


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "reader",
) -> None:
    """Create a key and print its token once (only a hash is kept)."""
    key, token = run(lambda: _key_file().create(name, role))
    out.print(f"created key {key.key_id} ({key.role}) for {key.name}; the token is shown only now:", highlight=False)
    out.print(token, highlight=False, markup=False, soft_wrap=True)


@keys_app.command("list")
def list_keys() -> None:
    """List keys (id, name, role, created, revoked); tokens are never shown."""
    keys = run(lambda: _key_file().keys())
    table = Table("id", "name", "role", "created", "revoked")
    for key in keys:
        table.add_row(key.key_id, key.name, key.role, key.created, key.revoked or "")
    out.print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (see `peergraph keys list`).")]) -> None:
    """Revoke a key: its token is refused from now on."""
    key = run(lambda: _key_file().revoke(key_id))
    out.print(f"revoked key {key.key_id} ({key.name})", highlight=False)
