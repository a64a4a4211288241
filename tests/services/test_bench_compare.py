"""bench.compare drives the same load at our pages and at a peer server, and reports the ratio."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import compare


class Peer(BaseHTTPRequestHandler):
    """A stand-in for another product's server: answers its list path, and 404 for anything else."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:
        Peer.seen.append((self.path, self.headers.get("X-Api-Key")))
        body = b"[]" if self.path == "/projects.json" else b"missing"
        self.send_response(200 if self.path == "/projects.json" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_ours_and_the_peers_pages_are_loaded_in_turn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Peer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        compare.main(
            [
                "--programmes",
                "5",
                "--database-url",
                f"sqlite:///{tmp_path / 'compare.db'}",
                "--peer",
                f"http://127.0.0.1:{server.server_port}",
                "--peer-header",
                "X-Api-Key: secret",
                "--pair",
                "/api/v1/programmes=/projects.json",
                "--pair",
                "/programmes/=/projects.json",
                "--connections",
                "2",
                "--seconds",
                "0.3",
                "--rounds",
                "2",
            ]
        )
    finally:
        server.shutdown()
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [pair["ours"] for pair in result["pairs"]] == ["/api/v1/programmes", "/programmes/"]
    for pair in result["pairs"]:
        assert pair["ours_req_s"] > 0 and pair["peer_req_s"] > 0 and pair["ratio"] > 0
    assert {path for path, _ in Peer.seen} == {"/projects.json"}
    assert {key for _, key in Peer.seen} == {"secret"}


def test_a_pair_must_name_two_paths() -> None:
    with pytest.raises(SystemExit):
        compare.main(["--programmes", "5", "--pair", "programmes"])


def test_either_path_of_a_pair_may_carry_a_query_string() -> None:
    assert compare.parse_pair("/milestones/?when=overdue=/issues?op[due_date]=<t-&v[due_date][]=1") == (
        "/milestones/?when=overdue",
        "/issues?op[due_date]=<t-&v[due_date][]=1",
    )
