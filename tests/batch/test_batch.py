# SPDX-License-Identifier: LGPL-2.1-or-later
"""`sigma batch`, `sigma results` and `sigma run --db`, run as a user would: batches of
corpus scenarios stored in SQLite and summarised; the same verdicts on one or two worker
threads; a batch killed half-way resumed without losing or rerunning a finished run;
--retry-errors rerunning errors only; bad result stores refused with exit 2."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

SIGMA = os.environ["SIGMA_CLI"]
CORPUS = os.environ["SIGMA_CORPUS_DIR"]
GAIA2 = os.path.normpath(os.path.join(CORPUS, "gaia2", "scenario_universe_30_997a5b.json"))
PARE = os.path.join(CORPUS, "are-scenarios", "pare_trace_demo-simple-contact.json")
GAIA2_ID = "scenario_universe_30_997a5b"


def sigma(*args, check=None, env=None, timeout=300):
    full_env = dict(os.environ)
    full_env.pop("SIGMA_DB", None)
    full_env.pop("SIGMA_PLUGIN_PATH", None)
    if env:
        full_env.update(env)
    result = subprocess.run([SIGMA, *args], env=full_env, capture_output=True, text=True, timeout=timeout)
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


def batch_json(*args, check=0):
    return json.loads(sigma("batch", "--json", *args, check=check).stdout)


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_oracle_batch_is_stored_and_summarised(tmp_path):
    db = str(tmp_path / "r.db")
    summary = batch_json("--db", db, "--runs", "3", GAIA2)
    stats = summary["statistics"]
    assert summary["status"] == "finished" and summary["ran"] == 3
    assert summary["runs_per_scenario"] == 3 and summary["agent"] == "oracle"
    assert (stats["runs"], stats["passed"], stats["failed"], stats["errors"]) == (3, 3, 0, 0)
    assert stats["pass_at_1"] == 1.0 and stats["pass_at_k"] == 1.0 and stats["pass_hat_k"] == 1.0
    assert stats["per_scenario"] == [{"scenario_id": GAIA2_ID, "source": GAIA2, "runs": 3, "passed": 3,
                                      "failed": 0, "errors": 0, "pass_rate": 1.0, "verdict": "passed"}]

    # run k has the scenario's seed (0) + k, and its event log as trajectory
    stored = rows(db, "SELECT run_index, seed, status, batch_id FROM runs ORDER BY run_index")
    assert stored == [(0, 0, "passed", summary["id"]), (1, 1, "passed", summary["id"]), (2, 2, "passed", summary["id"])]
    logs = rows(db, "SELECT log FROM trajectories")
    assert len(logs) == 3 and all(len(json.loads(log)) > 0 for (log,) in logs)

    listed = json.loads(sigma("results", "--db", db, "--json", check=0).stdout)
    assert [(b["id"], b["runs"], b["passed"], b["status"]) for b in listed] == [(summary["id"], 3, 3, "finished")]
    again = json.loads(sigma("results", "--db", db, str(summary["id"]), "--json", check=0).stdout)
    assert again["statistics"] == stats
    text = sigma("results", "--db", db, str(summary["id"]), check=0).stdout
    assert "pass@3" in text and "pass^3" in text and GAIA2_ID in text


def test_seed_option_gives_seed_plus_k(tmp_path):
    db = str(tmp_path / "r.db")
    batch_json("--db", db, "--runs", "2", "--seed", "100", GAIA2)
    assert rows(db, "SELECT run_index, seed FROM runs ORDER BY run_index") == [(0, 100), (1, 101)]


def test_failing_scripted_agent(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"tool": "Nope__nothing", "args": {}}, {"message": "Done."}]))
    summary = batch_json("--db", str(tmp_path / "r.db"), "--agent", f"scripted:{script}", "--runs", "2", GAIA2,
                         check=1)
    stats = summary["statistics"]
    assert (stats["passed"], stats["failed"], stats["errors"]) == (0, 2, 0)
    assert stats["pass_at_1"] == 0.0 and stats["mean_score"] == 0.0
    assert stats["per_scenario"][0]["verdict"] == "failed"


def test_malformed_script_is_an_error_not_a_failure(tmp_path):
    script = tmp_path / "script.json"
    script.write_text("this is not JSON")
    summary = batch_json("--db", str(tmp_path / "r.db"), "--agent", f"scripted:{script}", "--runs", "2", GAIA2,
                         check=1)
    stats = summary["statistics"]
    assert (stats["passed"], stats["failed"], stats["errors"]) == (0, 0, 2)
    assert stats["pass_at_1"] is None and stats["mean_score"] is None
    assert stats["per_scenario"][0]["verdict"] == "error"


def mixed_folder(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(GAIA2, folder / "a-gaia2.json")
    shutil.copy(PARE, folder / "b-pare.json")   # its oracle run fails the judge
    return folder


def run_signature(db):
    """What must not depend on the number of workers: verdicts, seeds, steps, logs."""
    return rows(db, "SELECT r.source, r.run_index, r.seed, r.status, r.score, r.end_reason, r.steps, r.sim_time, "
                    "t.log FROM runs r JOIN trajectories t ON t.run_id = r.id ORDER BY r.source, r.run_index")


def test_two_jobs_give_the_same_verdicts_as_one(tmp_path):
    folder = mixed_folder(tmp_path)
    one = str(tmp_path / "one.db")
    two = str(tmp_path / "two.db")
    s1 = batch_json("--db", one, "--lenient", "--runs", "3", "--jobs", "1", str(folder), check=1)
    s2 = batch_json("--db", two, "--lenient", "--runs", "3", "--jobs", "2", str(folder), check=1)
    verdicts = [(s["source"], s["verdict"], s["passed"], s["failed"]) for s in s1["statistics"]["per_scenario"]]
    assert verdicts == [(str(folder / "a-gaia2.json"), "passed", 3, 0), (str(folder / "b-pare.json"), "failed", 0, 3)]
    assert [(s["source"], s["verdict"]) for s in s2["statistics"]["per_scenario"]] == [v[:2] for v in verdicts]
    for key in ("pass_at_1", "pass_at_k", "pass_hat_k", "mean_score", "score_stderr", "passed", "failed", "errors"):
        assert s1["statistics"][key] == s2["statistics"][key], key
    sig1, sig2 = run_signature(one), run_signature(two)
    assert len(sig1) == 6 and sig1 == sig2


def test_killed_batch_resumes_without_losing_or_rerunning(tmp_path):
    db = str(tmp_path / "r.db")
    total = 40
    env = dict(os.environ)
    env.pop("SIGMA_DB", None)
    proc = subprocess.Popen([SIGMA, "batch", "--db", db, "--runs", str(total), "--jobs", "1", GAIA2], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if os.path.exists(db):
                try:
                    stored = rows(db, "SELECT count(*) FROM runs")[0][0]
                except sqlite3.OperationalError:
                    stored = 0   # the schema is being created
            if stored >= 3:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        assert stored >= 3, "no runs stored in time"
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)

    before = rows(db, "SELECT id, run_index, status FROM runs ORDER BY run_index")
    assert 3 <= len(before) < total
    assert rows(db, "SELECT status FROM batches") == [("running",)]
    # mark the stored rows: a resume that rewrote them would lose the mark
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET rationale = 'stored before the kill'")

    summary = batch_json("--db", db, "--resume", "1")
    assert summary["ran"] == total - len(before)
    assert summary["statistics"]["runs"] == total and summary["statistics"]["passed"] == total
    assert summary["status"] == "finished"
    after = rows(db, "SELECT id, run_index, status, rationale FROM runs ORDER BY run_index")
    assert [r[1] for r in after] == list(range(total))
    kept = {r[0]: r for r in after}
    for run_id, index, status in before:
        assert kept[run_id][1:] == (index, status, "stored before the kill")
    assert sum(1 for r in after if r[3] == "stored before the kill") == len(before)

    # nothing left to do: a second resume runs nothing
    assert batch_json("--db", db, "--resume", "1")["ran"] == 0


def test_retry_errors_reruns_only_errors(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(GAIA2, folder / "a.json")
    (folder / "b.json").write_text("{ broken")
    db = str(tmp_path / "r.db")

    first = batch_json("--db", db, "--runs", "2", str(folder), check=1)
    assert (first["statistics"]["passed"], first["statistics"]["errors"]) == (2, 2)
    b_source = str(folder / "b.json")
    errors_before = rows(db, "SELECT id, run_index FROM runs WHERE status = 'error' ORDER BY run_index")
    assert len(errors_before) == 2
    assert all(s == b_source for (s,) in rows(db, "SELECT source FROM runs WHERE status = 'error'"))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET rationale = 'kept' WHERE status = 'passed'")

    # still broken: the errors are run again, and are errors again
    again = batch_json("--db", db, "--retry-errors", str(first["id"]), check=1)
    assert again["ran"] == 2 and again["statistics"]["errors"] == 2

    shutil.copy(GAIA2, folder / "b.json")
    fixed = batch_json("--db", db, "--retry-errors", str(first["id"]))
    assert fixed["ran"] == 2
    assert (fixed["statistics"]["passed"], fixed["statistics"]["errors"]) == (4, 0)
    # the retried runs keep their ids; the passed ones were not touched
    assert rows(db, "SELECT id, run_index FROM runs WHERE source = ? ORDER BY run_index", b_source) == errors_before
    assert rows(db, "SELECT count(*) FROM runs WHERE rationale = 'kept'") == [(2,)]
    assert rows(db, "SELECT count(*) FROM runs") == [(4,)]
    # no errors left: a retry runs nothing
    assert batch_json("--db", db, "--retry-errors", str(first["id"]))["ran"] == 0


def test_retry_with_a_fixed_script(tmp_path):
    script = tmp_path / "script.json"
    script.write_text("[ not json")
    db = str(tmp_path / "r.db")
    first = batch_json("--db", db, "--agent", f"scripted:{script}", "--runs", "2", GAIA2, check=1)
    assert first["statistics"]["errors"] == 2
    script.write_text(json.dumps([{"message": "Done."}]))
    retried = batch_json("--db", db, "--retry-errors", str(first["id"]), check=1)
    assert retried["ran"] == 2
    assert (retried["statistics"]["failed"], retried["statistics"]["errors"]) == (2, 0)


def test_bad_result_stores_exit_2(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_text("not a database " * 20)
    for command in (["batch", "--db", str(corrupt), GAIA2], ["results", "--db", str(corrupt)]):
        result = sigma(*command, check=2)
        assert str(corrupt) in result.stderr and "not a database" in result.stderr, result.stderr

    missing = tmp_path / "no" / "such" / "folder" / "r.db"
    result = sigma("batch", "--db", str(missing), GAIA2, check=2)
    assert str(missing) in result.stderr and "cannot open" in result.stderr, result.stderr
    result = sigma("run", "--oracle", "--db", str(missing), GAIA2, check=2)
    assert str(missing) in result.stderr

    db = str(tmp_path / "r.db")
    result = sigma("batch", "--db", db, "--resume", "99", check=2)
    assert "no batch 99" in result.stderr
    result = sigma("results", "--db", db, "99", check=2)
    assert "no batch 99" in result.stderr
    result = sigma("batch", "--db", db, str(tmp_path / "nowhere.json"), check=2)
    assert "nowhere.json" in result.stderr


def test_bad_options_exit_2_and_store_nothing(tmp_path):
    db = tmp_path / "r.db"
    for args, message in ((["--runs", "0"], "--runs must be 1 or more"),
                          (["--runs", "-1"], "--runs must be 1 or more"),
                          (["--jobs", "0"], "--jobs must be between 1 and 256"),
                          (["--jobs", "257"], "--jobs must be between 1 and 256")):
        result = sigma("batch", "--db", str(db), *args, GAIA2, check=2)
        assert message in result.stderr, result.stderr
        assert result.stdout == ""
    assert not db.exists() or sqlite3.connect(str(db)).execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_database_from_a_newer_sigma(tmp_path):
    db = str(tmp_path / "r.db")
    sigma("results", "--db", db, check=0)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_version SET version = 1000")
    result = sigma("results", "--db", db, check=2)
    assert "version 1000" in result.stderr and db in result.stderr


def test_default_db_is_in_the_user_data_dir(tmp_path):
    data = tmp_path / "data-home"
    sigma("batch", GAIA2, check=0, env={"XDG_DATA_HOME": str(data)})
    assert rows(str(data / "sigma" / "results.db"), "SELECT count(*) FROM runs") == [(1,)]
    env_db = tmp_path / "env.db"
    sigma("batch", GAIA2, check=0, env={"XDG_DATA_HOME": str(data), "SIGMA_DB": str(env_db)})
    assert rows(str(env_db), "SELECT count(*) FROM runs") == [(1,)]


def test_run_db_stores_a_single_run(tmp_path):
    db = str(tmp_path / "r.db")
    sigma("run", "--oracle", "--db", db, GAIA2, check=0)
    stored = rows(db, "SELECT batch_id, scenario_id, status FROM runs")
    assert stored == [(None, GAIA2_ID, "passed")]
    assert len(json.loads(rows(db, "SELECT log FROM trajectories")[0][0])) > 0


def test_no_arguments_runs_the_default_scenarios_with_the_oracle(tmp_path):
    db = str(tmp_path / "r.db")
    result = subprocess.run([SIGMA, "batch", "--db", db, "--runs", "2", "--json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["agent"] == "oracle" and summary["config"]["scenarios"]
    stats = summary["statistics"]
    assert stats["runs"] == 2 * len(summary["config"]["scenarios"]) and stats["passed"] == stats["runs"]
    assert stats["pass_at_k"] == 1.0
