# SPDX-License-Identifier: LGPL-2.1-or-later
"""`sigma serve` with the result store and a model: save, /trajectories, /batches,
generate-response, and LLM agent / user sessions against the scripted fake OpenAI server of
tests/llm (no network)."""
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from test_server import SCENARIO_ID, SIGMA, Server, expect_error, new_session

HERE = os.path.dirname(os.path.abspath(__file__))
LLM_TESTS = os.path.join(os.path.dirname(HERE), "llm")

# the script that makes the fake model solve the Gaia2 corpus scenario, shared with the CLI test
_spec = importlib.util.spec_from_file_location("llm_cli_script", os.path.join(LLM_TESTS, "test_llm_cli.py"))
_llm_cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_llm_cli)
SOLVING_SCRIPT = _llm_cli.SOLVING_SCRIPT


class FakeModel:
    def __init__(self, tmp_path, script):
        self.script_path = tmp_path / "script.json"
        self.log_path = tmp_path / "requests.ndjson"
        self.script_path.write_text(json.dumps(script))
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(LLM_TESTS, "fake_openai_server.py"), str(self.script_path),
             str(self.log_path)], stdout=subprocess.PIPE, text=True)
        self.base_url = "http://127.0.0.1:%d/v1" % int(self.proc.stdout.readline())

    def requests(self):
        if not self.log_path.exists():
            return []
        return [json.loads(line)["body"] for line in self.log_path.read_text().splitlines()]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture
def served(tmp_path):
    """start(script, *args) → (sigma serve with --db and the fake model, the fake model)."""
    started = []

    def start(script=None, *args):
        model = FakeModel(tmp_path, script) if script is not None else None
        llm_args = ["--base-url", model.base_url, "--model", "gpt-4o", "--llm-retries", "0"] if model else []
        server = Server(tmp_path, "--db", str(tmp_path / "served.db"), *llm_args, *args)
        started.append((server, model))
        return server, model

    yield start
    for server, model in started:
        server.stop()
        if model:
            model.stop()


def get(server, path):
    status, body = server.request("GET", path)
    assert status == 200, body
    return body


def test_store_endpoints(served, tmp_path):
    server, _ = served()
    assert get(server, "/health")["db"] == str(tmp_path / "served.db")
    assert get(server, "/health")["model"] is None
    assert get(server, "/trajectories") == {"trajectories": []}
    assert get(server, "/batches") == {"batches": []}
    for path in ("/trajectories/1", "/batches/1", "/batches/0", "/batches/abc", "/trajectories/1x",
                 "/trajectories/99999999999999999999999"):
        expect_error(server.request("GET", path), 404, "not_found")
    expect_error(server.request("POST", "/batches"), 405)
    expect_error(server.request("DELETE", "/trajectories/1"), 405)
    # save needs a started session; the session must exist
    expect_error(server.request("POST", "/sessions/nope/save"), 404)
    sid = new_session(server)
    expect_error(server.request("POST", f"/sessions/{sid}/save"), 409, "conflict")
    expect_error(server.request("POST", f"/sessions/{sid}/save", {"extra": 1}), 422)
    expect_error(server.request("GET", f"/sessions/{sid}/save"), 405)


def test_save_round_trip_with_rejected_drafts(served):
    script = [{"content": "  Draft one.  "}, {"content": "I deleted the files and cancelled the meetings."},
              {"content": "Unsent draft."}, {"content": ""}]
    server, model = served(script)
    assert get(server, "/health")["model"] == "gpt-4o"

    sid = new_session(server)
    expect_error(server.request("POST", f"/sessions/{sid}/generate-response", {"description": "x"}), 409)
    status, start = server.request("POST", f"/sessions/{sid}/start")
    assert status == 200, start
    expect_error(server.request("POST", f"/sessions/{sid}/generate-response", {"description": "  "}), 422)
    expect_error(server.request("POST", f"/sessions/{sid}/generate-response", {"description": 3}), 400)
    status, first = server.request("POST", f"/sessions/{sid}/generate-response", {"description": "say hi"})
    assert status == 200 and first["draft"] == "Draft one." and first["pending_drafts"] == 1, first
    status, second = server.request("POST", f"/sessions/{sid}/generate-response",
                                    {"description": "report what was done"})
    assert status == 200 and second["pending_drafts"] == 2, second

    # the model read the description and the conversation (the user's task)
    request = model.requests()[1]
    assert request["messages"][0]["role"] == "system"
    prompt = request["messages"][1]["content"]
    assert "report what was done" in prompt
    assert "User: " + start["messages"][0][:40] in prompt

    # the human sends the second draft: the first is rejected
    status, reply = server.request("POST", f"/sessions/{sid}/respond", {"message": second["draft"]})
    assert status == 200, reply
    status, saved = server.request("POST", f"/sessions/{sid}/save")
    assert status == 200 and saved["rejected_drafts"] == 1 and saved["run_id"] >= 1, saved
    # saving again answers the same run
    status, again = server.request("POST", f"/sessions/{sid}/save")
    assert status == 200 and again["run_id"] == saved["run_id"]
    expect_error(server.request("POST", f"/sessions/{sid}/respond", {"message": "late"}), 409)

    trajectories = get(server, "/trajectories")["trajectories"]
    assert [t["run_id"] for t in trajectories] == [saved["run_id"]]
    assert trajectories[0]["scenario_id"] == SCENARIO_ID and trajectories[0]["agent"] == "human"
    trajectory = get(server, f"/trajectories/{saved['run_id']}")
    assert trajectory["run"]["status"] in ("passed", "failed")
    assert trajectory["log"], trajectory
    extra = trajectory["extra"]
    assert extra["session_id"] == sid
    assert extra["rejected_drafts"] == [{
        "description": "say hi", "draft": "Draft one.", "time": extra["rejected_drafts"][0]["time"],
        "step": 0, "sent_instead": second["draft"]}]

    # a draft still pending when the session is saved is rejected too, with nothing sent
    sid2 = new_session(server)
    server.request("POST", f"/sessions/{sid2}/start")
    status, draft = server.request("POST", f"/sessions/{sid2}/generate-response", {"description": "ask"})
    assert status == 200 and draft["draft"] == "Unsent draft."
    # a model answering no text is a bad gateway, and makes no draft
    expect_error(server.request("POST", f"/sessions/{sid2}/generate-response", {"description": "ask"}), 502)
    # the script is exhausted: the fake model answers 400, reported as 502
    expect_error(server.request("POST", f"/sessions/{sid2}/generate-response", {"description": "ask"}), 502)
    status, saved2 = server.request("POST", f"/sessions/{sid2}/save")
    assert status == 200 and saved2["run_id"] != saved["run_id"], saved2
    extra2 = get(server, f"/trajectories/{saved2['run_id']}")["extra"]
    assert [(d["draft"], d["sent_instead"]) for d in extra2["rejected_drafts"]] == [("Unsent draft.", None)]
    assert len(get(server, "/trajectories")["trajectories"]) == 2


def test_batch_made_by_sigma_batch_is_served(served, tmp_path):
    db = tmp_path / "served.db"
    proc = subprocess.run([SIGMA, "batch", "tutorial_contact_email", "tutorial_find_file", "--agent", "oracle",
                           "--runs", "2", "--db", str(db), "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    batch_id = json.loads(proc.stdout)["id"]

    server, _ = served()
    batches = get(server, "/batches")["batches"]
    assert [(b["id"], b["runs"], b["passed"], b["agent"]) for b in batches] == [(batch_id, 4, 4, "oracle")]
    batch = get(server, f"/batches/{batch_id}")
    assert batch["id"] == batch_id and batch["runs_per_scenario"] == 2
    stats = batch["statistics"]
    assert stats["pass_at_1"] == 1.0 and stats["runs"] == 4
    assert {(p["scenario_id"], p["pass_rate"]) for p in stats["per_scenario"]} == {
        ("tutorial_contact_email", 1.0), ("tutorial_find_file", 1.0)}
    assert sorted((r["scenario_id"], r["run_index"], r["status"]) for r in batch["runs"]) == [
        ("tutorial_contact_email", 0, "passed"), ("tutorial_contact_email", 1, "passed"),
        ("tutorial_find_file", 0, "passed"), ("tutorial_find_file", 1, "passed")]
    expect_error(server.request("GET", f"/batches/{batch_id + 1}"), 404)
    # the batch's runs have trajectories
    assert len(get(server, "/trajectories")["trajectories"]) == 4


def test_llm_agent_session_passes_gaia2(served):
    server, model = served(SOLVING_SCRIPT)
    sid = new_session(server, agent="llm")
    status, summary = server.request("GET", f"/sessions/{sid}")
    assert summary["agent"] == "llm"
    status, start = server.request("POST", f"/sessions/{sid}/start")
    assert status == 200, start
    assert start["finished"] is True
    assert start["result"]["status"] == "passed", start["result"]
    assert start["result"]["agent"] == "llm:gpt-4o"
    assert start["result"]["steps"] == 10
    assert len(model.requests()) == 4
    expect_error(server.request("POST", f"/sessions/{sid}/respond", {"message": "hi"}), 409)
    status, result = server.request("GET", f"/sessions/{sid}/result")
    assert status == 200 and result["status"] == "passed"
    # the history shows what the model did, as it would a person's actions, in order
    status, history = server.request("GET", f"/sessions/{sid}/history")
    entries = history["history"]
    assert entries[0]["role"] == "user" and "Message:" in entries[0]["message"], entries[0]
    assert [e["role"] for e in entries].count("user") == 1   # the scenario's one turn, once
    called = [e["action"]["tool"] for e in entries if e["role"] == "tool"]
    assert called == [call["name"] for turn in SOLVING_SCRIPT for call in turn.get("tool_calls", [])]
    tools = [e for e in entries if e["role"] == "tool"]
    assert all("error" not in e and "result" in e for e in tools), tools
    # the arguments as logged: the model's, with the tool's defaults filled in
    assert {"path": "Documents/news", "recursive": True}.items() <= tools[0]["action"]["args"].items()
    assert [e["action"]["message"] for e in entries if e["role"] == "agent"] == ["All done."]
    assert entries[-1]["role"] == "agent"
    times = [e["time"] for e in entries]
    assert times == sorted(times)
    status, saved = server.request("POST", f"/sessions/{sid}/save")
    assert status == 200, saved
    trajectory = get(server, f"/trajectories/{saved['run_id']}")
    assert trajectory["run"]["agent"] == "llm:gpt-4o" and trajectory["run"]["status"] == "passed"
    assert trajectory["extra"]["rejected_drafts"] == []


def test_llm_agent_error_is_a_verdict(served):
    server, model = served([{"status": 503}])
    sid = new_session(server, agent="llm")
    status, start = server.request("POST", f"/sessions/{sid}/start")
    assert status == 200, start
    assert start["finished"] is True and start["result"]["status"] == "error"
    assert "HTTP 503" in start["result"]["rationale"]


def test_llm_user_answers(served):
    server, model = served([{"content": "Thanks. Also remove the photos, please."}])
    sid = new_session(server, user="llm")
    status, start = server.request("POST", f"/sessions/{sid}/start")
    assert status == 200, start
    assert model.requests() == []           # the scenario's first message is its own
    status, reply = server.request("POST", f"/sessions/{sid}/respond", {"message": "What else can I do?"})
    assert status == 200, reply
    requests = model.requests()
    assert len(requests) == 1
    assert any("What else can I do?" in (m.get("content") or "") for m in requests[0]["messages"])
    assert len(reply["messages"]) == 1, reply
    assert "Message: Thanks. Also remove the photos, please." in reply["messages"][0]


def test_web_ui_has_drafts_save_and_batches(served):
    server, _ = served()
    status, index = server.request("GET", "/")
    assert status == 200 and b'src="/ui/batches.js"' in index and b'href="/ui/batches.css"' in index
    status, script = server.request("GET", "/ui/batches.js")
    assert status == 200
    for needle in (b"generate-response", b"/save", b"'/batches'", b"Draft with the LLM"):
        assert needle in script, needle
    status, css = server.request("GET", "/ui/batches.css")
    assert status == 200 and b".overlay" in css
