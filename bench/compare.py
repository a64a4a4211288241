"""Drive the same load at our pages and at another server's equivalent pages, in interleaved rounds.

    python -m bench.compare --programmes 1000 --peer http://127.0.0.1:3000 \\
        --pair /programmes/=/projects?display_type=list --pair /api/v1/programmes=/projects.json \\
        [--peer-header "X-Redmine-API-Key: KEY"] [--connections 4] [--seconds 20] [--rounds 7]

Ours is the benchmark portfolio of bench.pages (built or reused), served by gunicorn with two workers and
signed in as a CIO (the API with a token of the same person). The peer is any server already running,
with the headers given (a session cookie or an API key). Each round loads each pair in turn, ours then
the peer's, like wrk: `--connections` keep-alive connections sending one request after another for
`--seconds`. A pair's ratio is ours over the peer's requests a second, the median over the rounds (the
rounds interleave, so a noisy moment hurts both). Without --peer, only ours is measured. The last line
printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.pages import SIGN_IN_EMAIL, SIGN_IN_PASSWORD, Client, gunicorn, new_api_token, prepare_site
from bench.risk_scan import bench_app, portfolio_arguments, portfolio_url
from tracker.extensions import db

TIMEOUT = 60.0


@dataclass(frozen=True)
class Target:
    """Where to send a pair's requests: host, port, path and the headers that let them in."""

    host: str
    port: int
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Load:
    """What `connections` connections did in `seconds`: answers by status, and latencies in ms."""

    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return statuses_ok(self.statuses) / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")


def statuses_ok(statuses: dict[int, int]) -> int:
    return sum(count for status, count in statuses.items() if status == 200)


def load(target: Target, *, connections: int, seconds: float) -> Load:
    """Keep `connections` keep-alive connections busy for `seconds`, each request after the last."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: list[dict[int, int]] = [{} for _ in range(connections)]

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT)
        try:
            while time.perf_counter() < deadline:
                before = time.perf_counter()
                try:
                    connection.request(
                        "GET", target.path, headers={"Connection": "keep-alive", **target.headers}
                    )
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    connection.close()
                    status = 0
                latencies[index].append((time.perf_counter() - before) * 1000)
                statuses[index][status] = statuses[index].get(status, 0) + 1
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(index,)) for index in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    merged: dict[int, int] = {}
    for each in statuses:
        for status, count in each.items():
            merged[status] = merged.get(status, 0) + count
    return Load(elapsed, sorted(value for each in latencies for value in each), merged)


def parse_header(text: str) -> tuple[str, str]:
    name, separator, value = text.partition(":")
    if not separator or not name.strip():
        raise argparse.ArgumentTypeError(f"A header is 'Name: value', not {text!r}")
    return name.strip(), value.strip()


def parse_pair(text: str) -> tuple[str, str]:
    """OUR_PATH=PEER_PATH, split at the first "=/", so either path may carry a query string."""
    ours, separator, theirs = text.partition("=/")
    theirs = "/" + theirs
    if not separator or not ours.startswith("/"):
        raise argparse.ArgumentTypeError(f"A pair is OUR_PATH=PEER_PATH, both starting with /, not {text!r}")
    return ours, theirs


def our_headers(port: int) -> dict[str, str]:
    """A signed-in CIO's session cookie, and an API token of the same person for /api/ paths."""
    client = Client(port)
    try:
        client.sign_in(SIGN_IN_EMAIL, SIGN_IN_PASSWORD)
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in client.cookies.items())}
    finally:
        client.close()


def our_request_headers(path: str, token: str, session: dict[str, str]) -> dict[str, str]:
    """The API with its token, the sign-in page as someone not signed in, every other page signed in."""
    if path.startswith("/api/"):
        return {"Authorization": f"Bearer {token}"}
    return {} if path.startswith("/sign-in") else session


def api_token(database_url: str) -> str:
    with bench_app(database_url).app_context():
        return new_api_token()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--peer", help="The other server's base URL, e.g. http://127.0.0.1:3000")
    parser.add_argument("--pair", type=parse_pair, action="append", required=True, help="OURS=PEERS")
    parser.add_argument("--peer-header", type=parse_header, action="append", default=[])
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    if args.connections < 1 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--connections and --rounds must be at least 1, --seconds above 0")
    url = portfolio_url(args)
    with bench_app(url).app_context():
        prepare_site(args.programmes, args.seed)
        db.session.remove()
        db.engine.dispose()
    token = api_token(url)
    peer = urlsplit(args.peer) if args.peer else None
    peer_headers = dict(args.peer_header)

    with tempfile.TemporaryFile() as log, gunicorn(url, log) as port:
        session = our_headers(port)
        rounds: list[dict[tuple[str, str], tuple[Load, Load | None]]] = []
        for number in range(1, args.rounds + 1):
            this_round = {}
            for ours_path, peer_path in args.pair:
                headers = our_request_headers(ours_path, token, session)
                ours = load(
                    Target("127.0.0.1", port, ours_path, headers),
                    connections=args.connections,
                    seconds=args.seconds,
                )
                theirs = None
                if peer is not None:
                    target = Target(
                        peer.hostname or "127.0.0.1",
                        peer.port or 80,
                        (peer.path.rstrip("/") + peer_path),
                        peer_headers,
                    )
                    theirs = load(target, connections=args.connections, seconds=args.seconds)
                this_round[(ours_path, peer_path)] = (ours, theirs)
                print(
                    f"round {number} {ours_path:<28} {ours.per_second:>8.1f} req/s p50 {ours.p50:>7.1f} ms"
                    + (
                        f" | {peer_path:<32} {theirs.per_second:>8.1f} req/s p50 {theirs.p50:>7.1f} ms"
                        if theirs
                        else ""
                    )
                    + ("" if set(ours.statuses) == {200} else f" ours answered {ours.statuses}")
                    + (
                        ""
                        if theirs is None or set(theirs.statuses) == {200}
                        else f" peer answered {theirs.statuses}"
                    )
                )
            rounds.append(this_round)

    results = []
    for ours_path, peer_path in args.pair:
        loads = [each[(ours_path, peer_path)] for each in rounds]
        ours_rates = [ours.per_second for ours, _ in loads]
        row: dict[str, object] = {
            "ours": ours_path,
            "ours_req_s": round(statistics.median(ours_rates), 1),
            "ours_p50_ms": round(statistics.median(ours.p50 for ours, _ in loads), 2),
        }
        if peer is not None:
            peer_rates = [theirs.per_second for _, theirs in loads if theirs]
            ratios = [mine / theirs for mine, theirs in zip(ours_rates, peer_rates, strict=True) if theirs]
            row |= {
                "peer": peer_path,
                "peer_req_s": round(statistics.median(peer_rates), 1),
                "ratio": round(statistics.median(ratios), 2) if ratios else None,
            }
        results.append(row)
        print(
            f"{ours_path}: {row['ours_req_s']} req/s"
            + (f" against {row['peer_req_s']} ({peer_path}): ratio {row['ratio']}" if peer else "")
        )
    print(
        json.dumps(
            {
                "programmes": args.programmes,
                "connections": args.connections,
                "seconds": args.seconds,
                "rounds": args.rounds,
                "pairs": results,
            }
        )
    )


if __name__ == "__main__":
    main()
