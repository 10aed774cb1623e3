"""The HTTP protocol the server runs: uvicorn's httptools protocol with a 414 for over-long request addresses.

The HTTP parser refuses request addresses of 64 KiB and more with a bare "400 Invalid HTTP request". Here the
address is measured while it arrives; past :data:`api.sparql_protocol.MAX_SERVER_URL_BYTES` the client gets
``414 URI Too Long`` as ``application/problem+json``, with the advice to POST, and the connection is closed.
Shorter addresses reach the app, where ``/sparql`` applies its own, lower GET limit.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import problem_json
from api.sparql_protocol import MAX_SERVER_URL_BYTES, too_long_message


class _AddressTooLong(Exception):
    """Raised from the parser's callback to stop reading a request already answered with 414."""


class LongUrlRefusingProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol that answers 414 (not 400) to a request address over the server's limit."""

    refused = False

    def on_url(self, url: bytes) -> None:
        """Collect the address; past the limit, answer 414, close, and stop the parser."""
        super().on_url(url)
        if len(self.url) > MAX_SERVER_URL_BYTES and not self.refused:
            self.refused = True
            self._send_414(len(self.url))
            raise _AddressTooLong

    def send_400_response(self, msg: str) -> None:
        """Send uvicorn's 400 for unparsable requests, unless this one was already answered with 414."""
        if not self.refused:
            super().send_400_response(msg)

    def _send_414(self, read: int) -> None:
        body = problem_json(414, "URI Too Long", too_long_message(read, MAX_SERVER_URL_BYTES, read_whole=False))
        head = [
            b"HTTP/1.1 414 URI Too Long\r\n",
            b"content-type: application/problem+json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
