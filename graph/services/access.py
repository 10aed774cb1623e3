"""Who may see what: roles and API keys (the toolkit's "risk-free environment" for closed sessions).

Anonymous callers see public records only. An API key (a bearer token) grants a role:

* ``reader``: also sees restricted records, through every channel;
* ``editor``: a reader who may also upload data (``POST /api/ingest``).

Keys are random 32-byte tokens shown once when created; the key file keeps only their SHA-256 (a fast
hash is enough for high-entropy random tokens, unlike passwords), with a name, role and dates. The
command line is the store's operator and needs no key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import Forbidden, InvalidRequest, NotFound, Unauthorized

#: Roles an API key can grant, from least to most.
ROLES = ("reader", "editor")
TOKEN_PREFIX = "pgk_"


@dataclass(frozen=True)
class Access:
    """What the caller of a request may do.

    Parameters
    ----------
    role : str
        ``anonymous``, ``reader`` or ``editor``.
    key_id : str or None
        The API key used, if any.
    """

    role: str = "anonymous"
    key_id: str | None = None

    @property
    def include_restricted(self) -> bool:
        """Whether restricted records are visible."""
        return self.role in ROLES

    def require(self, role: str) -> None:
        """Refuse the action unless the caller has ``role`` (or a higher one).

        Parameters
        ----------
        role : str
            The role needed.

        Raises
        ------
        Unauthorized
            If the caller is anonymous.
        Forbidden
            If the caller's key has a lower role.
        """
        if self.role == "anonymous":
            raise Unauthorized(f"this needs an API key with the {role!r} role: send 'Authorization: Bearer <key>'")
        if ROLES.index(self.role) < ROLES.index(role):
            raise Forbidden(f"key {self.key_id} has the role {self.role!r}; this needs {role!r}")


ANONYMOUS = Access()


@dataclass(frozen=True)
class ApiKey:
    """One API key as the key file holds it (never the token itself)."""

    key_id: str
    name: str
    role: str
    sha256: str
    created: str
    revoked: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiKeyFile:
    """The JSON file of API keys.

    Parameters
    ----------
    path : pathlib.Path
        The file; it need not exist until the first key is created.
    """

    def __init__(self, path: Path):
        self.path = path

    def keys(self) -> list[ApiKey]:
        """Return every key, revoked ones included, oldest first.

        Raises
        ------
        InvalidRequest
            If the file is not a peergraph key file.
        """
        if not self.path.is_file():
            return []
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
            return [ApiKey(**entry) for entry in entries]
        except (json.JSONDecodeError, TypeError) as error:
            raise InvalidRequest(str(self.path), f"not a peergraph API key file ({error})") from None

    def _write(self, keys: list[ApiKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps([asdict(key) for key in keys], indent=2), encoding="utf-8")
        os.chmod(temporary, 0o600)
        temporary.replace(self.path)

    def create(self, name: str, role: str) -> tuple[ApiKey, str]:
        """Create a key and return it with its token (shown once; only its hash is kept).

        Parameters
        ----------
        name : str
            Who or what the key is for.
        role : str
            ``reader`` or ``editor``.

        Returns
        -------
        tuple of (ApiKey, str)
            The stored key and the bearer token.

        Raises
        ------
        InvalidRequest
            For an unknown role or an empty name.
        """
        if role not in ROLES:
            raise InvalidRequest("role", f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        if not name.strip():
            raise InvalidRequest("name", "give the key a name saying who or what it is for")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            key_id=secrets.token_hex(4),
            name=name.strip(),
            role=role,
            sha256=_digest(token),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self._write([*self.keys(), key])
        return key, token

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key; requests with its token are refused from then on.

        Parameters
        ----------
        key_id : str
            The key's id (``peergraph keys list``).

        Returns
        -------
        ApiKey
            The revoked key.

        Raises
        ------
        NotFound
            If no key has that id.
        """
        keys = self.keys()
        for index, key in enumerate(keys):
            if key.key_id == key_id:
                revoked = ApiKey(**{**asdict(key), "revoked": datetime.now(UTC).isoformat(timespec="seconds")})
                keys[index] = revoked
                self._write(keys)
                return revoked
        raise NotFound(f"no API key with id {key_id!r} in {self.path}")

    def authenticate(self, token: str) -> Access:
        """Return the access a bearer token grants.

        Parameters
        ----------
        token : str
            The token from the ``Authorization`` header.

        Returns
        -------
        Access
            The key's role.

        Raises
        ------
        Unauthorized
            If the token is unknown or revoked.
        """
        digest = _digest(token)
        for key in self.keys():
            if hmac.compare_digest(key.sha256, digest):
                if key.revoked:
                    raise Unauthorized(f"API key {key.key_id} was revoked on {key.revoked}")
                return Access(key.role, key.key_id)
        raise Unauthorized("unknown API key")
