"""`contractkit validate --engine spark`: same counts and exit codes as the default engine,
and no personal value in anything Spark or contractkit prints or writes — in local mode
and through Spark Connect (``SPARK_REMOTE``, a server this module starts on loopback)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyspark.find_spark_home import _find_spark_home

from contractkit.cli import main
from contractkit.loader import load_contract
from contractkit.synth.context import resolve_context
from contractkit.synth.generate import generate_delivery
from contractkit.synth.mutants import break_frame
from contractkit.synth.sample import find_mutant
from contractkit.synth.writers import render_file

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "contracts" / "dst-ledighed.yaml"
BREAKS = ["timer:out-of-range", "koen:not-allowed", "cpr:bad-cpr", "alder:wrong-type",
          "primary_key:duplicate-key"]
PLANTED = ["310299-1111", "290201-1234"]
"""CPR numbers with impossible dates, planted in rows that also break other rules."""


def _synth(folder: Path, breaks: list[str], rows: int = 60) -> Path:
    """A synthesised file of the contract with every rule in ``breaks`` broken."""
    lc = load_contract(CONTRACT)
    ctx = resolve_context(lc, period="2024-03")
    frame = generate_delivery(ctx, rows, 7)[ctx.table.name]
    for i, name in enumerate(breaks):
        frame = break_frame(find_mutant(ctx, name), frame, ctx, i)
    path = folder / ctx.file_name
    path.write_bytes(render_file(frame, lc.contract.format))
    return path


def _plant(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, cpr in enumerate(PLANTED, start=1):
        fields = lines[i].split(";")
        fields[0], fields[5] = cpr, "99,5"  # a bad CPR in a row whose hours are out of range
        lines[i] = ";".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cli(cwd: Path, *args: str,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from contractkit.cli import main; main()",
                           "validate", "-c", str(CONTRACT), *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600, check=False,
                          env={**os.environ, **(env or {})})


def _leaks(texts: list[str]) -> list[str]:
    return [v for cpr in PLANTED for v in (cpr, cpr.replace("-", "")) if any(v in t for t in texts)]


def test_spark_gives_the_default_engines_counts_and_leaks_no_cpr(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    path = _synth(data, BREAKS)
    _plant(path)
    work = tmp_path / "work"
    work.mkdir()
    default = _cli(work, str(path), "--format", "json")
    # --spark-master wins over SPARK_REMOTE (here a port where no server listens)
    nobody = {"SPARK_REMOTE": f"sc://localhost:{_free_port()}"}
    spark = _cli(work, str(path), "--format", "json", "--engine", "spark",
                 "--spark-master", "local[2]", env=nobody)
    assert (default.returncode, spark.returncode) == (1, 1), spark.stderr
    counts = json.loads(default.stdout)["files"][0]["counts"]
    assert json.loads(spark.stdout)["files"][0]["counts"] == counts
    assert {"out-of-range", "not-allowed", "bad-cpr", "wrong-type", "duplicate-key"} <= set(counts)
    written = [p for p in work.rglob("*") if p.is_file()]  # Spark's logs, if it wrote any
    texts = [spark.stdout, spark.stderr] + [p.read_text(errors="replace") for p in written]
    assert not _leaks(texts)


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(["validate", *args])
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out + out.err


def test_exit_codes_match_the_default_engine(tmp_path: Path, spark: Any,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    clean = _synth(tmp_path, [])
    bad_contract = tmp_path / "bad.yaml"
    bad_contract.write_text("id: [unclosed\n", encoding="utf-8")
    cases = {
        "clean": (["-c", str(CONTRACT), str(clean)], 0),
        "missing file": (["-c", str(CONTRACT), str(tmp_path / "nope.csv")], 2),
        "bad contract": (["-c", str(bad_contract), str(clean)], 2),
    }
    for name, (args, expected) in cases.items():
        for engine in ("polars", "spark"):
            code, _ = _main(capsys, *args, "--engine", engine)
            assert code == expected, (name, engine)


@pytest.mark.parametrize("fmt", ["text", "junit"])
def test_text_and_junit_mask_planted_cpr(tmp_path: Path, spark: Any, fmt: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = _synth(tmp_path, ["timer:out-of-range"])
    _plant(path)
    code, out = _main(capsys, "-c", str(CONTRACT), str(path), "--engine", "spark",
                      "--format", fmt)
    assert code == 1
    assert "bad-cpr" in out
    for cpr in PLANTED:
        assert cpr not in out
        assert cpr.replace("-", "") not in out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def connect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Spark Connect server (``local[2]``, its own JVM) on loopback for this module.

    Started as pyspark's ``sbin/start-connect-server.sh`` starts one, in the foreground;
    every address it binds is 127.0.0.1, it requires a token, and it is stopped at the end.
    Yields the environment a client needs (``SPARK_REMOTE``, the token) and ``log``.
    """
    home = Path(_find_spark_home())
    port, token = _free_port(), uuid.uuid4().hex
    log = tmp_path_factory.mktemp("connect") / "server.log"
    env = {k: v for k, v in os.environ.items() if k not in ("SPARK_REMOTE", "PYSPARK_GATEWAY_PORT",
                                                            "PYSPARK_GATEWAY_SECRET")}
    env.update(SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1",
               SPARK_CONNECT_AUTHENTICATE_TOKEN=token)
    conf = {"spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(port),
            "spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1",
            "spark.ui.enabled": "false", "spark.driver.memory": "1g"}
    cmd = [str(home / "bin" / "spark-submit"), "--class",
           "org.apache.spark.sql.connect.service.SparkConnectServer", "--name",
           "contractkit-tests", "--master", "local[2]"]
    for key, value in conf.items():
        cmd += ["--conf", f"{key}={value}"]
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not _listening(port):
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the Spark Connect server did not start"
            time.sleep(1)
        yield {"SPARK_REMOTE": f"sc://localhost:{port}",
               "SPARK_CONNECT_AUTHENTICATE_TOKEN": token, "log": str(log)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=60)


def _client(server: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in server.items() if k != "log"}


def test_spark_connect_gives_the_default_engines_findings_and_leaks_no_cpr(
        tmp_path: Path, connect_server: dict[str, str]) -> None:
    data = tmp_path / "in"
    data.mkdir()
    path = _synth(data, BREAKS, rows=200)
    _plant(path)
    work = tmp_path / "work"
    work.mkdir()
    env = _client(connect_server)
    server_log = Path(connect_server["log"])
    logged = server_log.stat().st_size
    default = _cli(work, str(path), "--format", "json")
    remote = _cli(work, str(path), "--format", "json", "--engine", "spark", env=env)
    text = _cli(work, str(path), "--engine", "spark", env=env)
    assert (default.returncode, remote.returncode, text.returncode) == (1, 1, 1), remote.stderr
    want, got = json.loads(default.stdout)["files"][0], json.loads(remote.stdout)["files"][0]
    assert {"out-of-range", "not-allowed", "bad-cpr", "wrong-type", "duplicate-key"} <= set(
        want["counts"])
    assert (got["rows"], got["counts"]) == (want["rows"], want["counts"])
    rows = [(f["code"], f["rule"], f["row"]) for f in want["findings"]]
    assert [(f["code"], f["rule"], f["row"]) for f in got["findings"]] == rows
    assert "bad-cpr" in text.stdout
    written = [p for p in work.rglob("*") if p.is_file()]
    assert server_log.stat().st_size > logged  # the server did the work, no local Spark
    assert not _leaks([remote.stdout, remote.stderr, text.stdout, text.stderr,
                       server_log.read_text(errors="replace")]
                      + [p.read_text(errors="replace") for p in written])


def test_spark_connect_exit_codes(tmp_path: Path, connect_server: dict[str, str]) -> None:
    clean = _synth(tmp_path, [])
    env = _client(connect_server)
    assert _cli(tmp_path, str(clean), "--engine", "spark", env=env).returncode == 0
    missing = _cli(tmp_path, str(tmp_path / "nope.csv"), "--engine", "spark", env=env)
    assert missing.returncode == 2
    # a server that is not there, or refuses the token: exit 2 in seconds, no traceback
    nobody = _cli(tmp_path, str(clean), "--engine", "spark",
                  env={"SPARK_REMOTE": f"sc://localhost:{_free_port()}"})
    refused = _cli(tmp_path, str(clean), "--engine", "spark",
                   env={**env, "SPARK_CONNECT_AUTHENTICATE_TOKEN": "not-the-token"})
    assert (nobody.returncode, refused.returncode) == (2, 2)
    assert "no server answers there" in nobody.stderr
    assert "refused the token" in refused.stderr
    assert "not-the-token" not in refused.stderr
    assert all("Traceback" not in r.stderr for r in (missing, nobody, refused))
