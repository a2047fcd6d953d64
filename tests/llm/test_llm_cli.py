# SPDX-License-Identifier: LGPL-2.1-or-later
"""`sigma run --agent llm` end to end against the scripted fake server (fake_openai_server.py).

No model is reachable: every test starts its own server on 127.0.0.1 and scripts its answers.
"""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SIGMA = os.environ["SIGMA_CLI"]
CORPUS = os.environ["SIGMA_CORPUS_DIR"]
GAIA2 = os.path.join(CORPUS, "gaia2", "scenario_universe_30_997a5b.json")

REPLY_CONTENT = "Dear Helga,\n\nI no longer wish to inspire future scientists.\n\nBest regards,\nRohini Deshpande"
GROUP_CONTENT = "Hello Everyone,\n\nPlease contact other professors for assistance.\n\nBest regards,\nRohini Deshpande"

# The scenario's oracle calls, as a model would make them: parallel calls in three replies,
# then a text reply (the message to the user, which ends the single turn).
SOLVING_SCRIPT = [
    {"content": "On it.", "tool_calls": [
        {"name": "Files__rm", "arguments": {"path": "Documents/news", "recursive": True}},
        {"name": "Contacts__edit_contact", "arguments": {
            "contact_id": "aefb3ded75854e6ead022efb1e3b9bcf", "updates": {"job": "Never Working Again"}}},
        {"name": "Calendar__delete_calendar_event", "arguments": {"event_id": "feabca495da74c33b947de57eec34f32"}},
        {"name": "Calendar__delete_calendar_event", "arguments": {"event_id": "a94ec48e7af84a898b178c546191560b"}},
        {"name": "Shopping__add_to_cart", "arguments": {"item_id": "15b6954930294cbf82a3a538f6da0fe9", "quantity": 1}}]},
    {"tool_calls": [
        {"name": "Cabs__order_ride", "arguments": {
            "start_location": "Home", "end_location": "901 Oxford Street, London, W1C 1DA",
            "service_type": "Premium", "ride_time": "2024-10-16 07:00:00"}},
        {"name": "Emails__reply_to_email", "arguments": {
            "email_id": "ef023be5f11645b6b775fb89b749a5db", "folder_name": "INBOX",
            "content": REPLY_CONTENT, "attachment_paths": []}}]},
    {"tool_calls": [
        {"name": "Shopping__checkout", "arguments": {"discount_code": ""}},
        {"name": "Emails__send_email", "arguments": {
            "recipients": ["kaidennakamura@gaia2mail.com", "evangelia.papadopoulos@student.tum.de",
                           "kaspar.eisenstadt@gaia2mail.com", "akira.kaur@health.vic.gov.au"],
            "subject": "Our Meetings Are Cancelled", "content": GROUP_CONTENT, "cc": [],
            "attachment_paths": []}}]},
    {"content": "All done.", "usage": {"prompt_tokens": 1000, "completion_tokens": 200}},
]


class FakeServer:
    def __init__(self, tmp_path, script):
        self.script_path = tmp_path / "script.json"
        self.log_path = tmp_path / "requests.ndjson"
        self.script_path.write_text(json.dumps(script))
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "fake_openai_server.py"), str(self.script_path),
             str(self.log_path)], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self.base_url = "http://127.0.0.1:%d/v1" % self.port

    def requests(self):
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    servers = []

    def start(script):
        s = FakeServer(tmp_path, script)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()


def sigma_run(*args, env_extra=None):
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)
    env.pop("SIGMA_LLM_API_KEY", None)
    env.update(env_extra or {})
    return subprocess.run([SIGMA, "run", *args], capture_output=True, text=True, timeout=120, env=env)


def run_json(proc):
    return json.loads(proc.stdout)


def test_llm_agent_solves_gaia2_scenario(server, tmp_path):
    s = server(SOLVING_SCRIPT)
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json", GAIA2,
                     env_extra={"OPENAI_API_KEY": "sk-test"})
    assert proc.returncode == 0, proc.stderr
    result = run_json(proc)
    assert result["status"] == "passed"
    assert result["agent"] == "llm:gpt-4o"
    assert result["steps"] == 10          # 9 tool calls, one message
    # usage summed over the 4 requests; cost from the gpt-4o list price (2.50 / 10.00 per 1M)
    assert result["usage"]["requests"] == 4
    assert result["usage"]["prompt_tokens"] == 3 * 100 + 1000
    assert result["usage"]["completion_tokens"] == 3 * 10 + 200
    assert result["usage"]["cost"] == pytest.approx((1300 * 2.5 + 230 * 10.0) / 1e6)

    requests = s.requests()
    assert len(requests) == 4
    assert requests[0]["authorization"] == "Bearer sk-test"
    first = requests[0]["body"]
    assert first["model"] == "gpt-4o"
    names = {t["function"]["name"] for t in first["tools"]}
    assert "Contacts__edit_contact" in names and "SystemApp__wait_for_notification" in names
    assert "wait_for_notification" not in names          # the scenario has a SystemApp
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert "2024-10-15 07:00:00" in first["messages"][0]["content"]
    # parallel calls: one tool message per call, in order, with matching ids
    second = requests[1]["body"]["messages"]
    calls = second[2]["tool_calls"]
    results = second[3:8]
    assert [m["role"] for m in results] == ["tool"] * 5
    assert [m["tool_call_id"] for m in results] == [c["id"] for c in calls]


def test_llm_agent_wrong_call_fails(server):
    script = [
        {"tool_calls": [{"name": "Calendar__delete_calendar_event",
                         "arguments": {"event_id": "feabca495da74c33b947de57eec34f32"}}]},
        {"content": "I deleted one event."},
    ]
    s = server(script)
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json", GAIA2)
    assert proc.returncode == 1, proc.stderr
    result = run_json(proc)
    assert result["status"] == "failed"
    assert result["rationale"]


def test_malformed_arguments_reach_the_model(server):
    script = [
        {"tool_calls": [{"name": "Contacts__get_contacts", "arguments": "{not json", "id": "bad"},
                        {"name": "SystemApp__get_current_time", "arguments": {}, "id": "good"}]},
        {"content": "Sorry."},
    ]
    s = server(script)
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json", GAIA2)
    assert proc.returncode == 1, proc.stderr
    messages = s.requests()[1]["body"]["messages"]
    tool_messages = [m for m in messages if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tool_messages] == ["bad", "good"]
    assert "not valid JSON" in tool_messages[0]["content"]
    assert not tool_messages[1]["content"].startswith("Error")


def test_retries_then_success(server):
    script = [{"status": 429, "headers": {"Retry-After": "0"}},
              {"status": 500}] + SOLVING_SCRIPT
    s = server(script)
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json",
                     "--llm-retries", "2", GAIA2)
    assert proc.returncode == 0, proc.stderr
    result = run_json(proc)
    assert result["status"] == "passed"
    assert result["usage"]["requests"] == 6


def test_give_up_is_an_infrastructure_error(server):
    s = server([{"status": 503}] * 3)
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json",
                     "--llm-retries", "2", GAIA2)
    assert proc.returncode == 2
    result = run_json(proc)
    assert result["verdict"] == "error"
    assert "HTTP 503" in result["rationale"] and "/v1/chat/completions" in result["rationale"]
    assert len(s.requests()) == 3


def test_timeout_is_an_infrastructure_error(server):
    s = server([{"delay": 3, "content": "late"}])
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url,
                     "--llm-timeout", "0.5", "--llm-retries", "0", GAIA2)
    assert proc.returncode == 2
    assert "no answer within 0.5 s" in proc.stderr


def test_record_then_replay_is_byte_identical(server, tmp_path):
    s = server(SOLVING_SCRIPT)
    cassette = tmp_path / "cassette.ndjson"
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url,
                     "--record", str(cassette), "--trace-out", str(first), GAIA2)
    assert proc.returncode == 0, proc.stderr
    s.stop()
    assert len(cassette.read_text().splitlines()) == 4
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url,
                     "--replay", str(cassette), "--trace-out", str(second), "--json", GAIA2)
    assert proc.returncode == 0, proc.stderr
    assert run_json(proc)["usage"]["requests"] == 4
    assert first.read_bytes() == second.read_bytes()


def test_replay_mismatch(server, tmp_path):
    s = server(SOLVING_SCRIPT)
    cassette = tmp_path / "cassette.ndjson"
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url,
                     "--record", str(cassette), GAIA2)
    assert proc.returncode == 0, proc.stderr
    s.stop()
    # another model name: the first request already differs
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o-mini", "--replay", str(cassette), GAIA2)
    assert proc.returncode == 2
    assert "request 1 diverges from the recording at model" in proc.stderr


def test_llm_user_simulator_stops(server):
    # the agent answers at once; the simulated user says thanks and stops
    script = [
        {"content": "What exactly do you need?"},
        {"content": "Nothing more, thanks. ###STOP###"},
    ]
    s = server(script)
    proc = sigma_run("--agent", "llm", "--user", "llm", "--soft-judge", "exact", "--model", "gpt-4o",
                     "--base-url", s.base_url, "--json", GAIA2)
    result = run_json(proc)
    assert result["end_reason"] == "user_stop"
    assert result["usage"]["requests"] == 2
    user_request = s.requests()[1]["body"]
    assert "tools" not in user_request
    assert "###STOP###" in user_request["messages"][0]["content"]
    assert "meeting with students" in user_request["messages"][0]["content"]
    assert user_request["messages"][1] == {"role": "user", "content": "What exactly do you need?"}


def test_unknown_model_price_and_prices_file(server, tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"my-model": {"prompt": 1.0, "completion": 2.0}}))
    s = server(SOLVING_SCRIPT)
    proc = sigma_run("--agent", "llm", "--model", "my-model", "--base-url", s.base_url,
                     "--prices", str(prices), "--json", GAIA2)
    assert proc.returncode == 0, proc.stderr
    assert run_json(proc)["usage"]["cost"] == pytest.approx((1300 * 1.0 + 230 * 2.0) / 1e6)


def reworded_script(verdict):
    """The solving script with the reply worded differently, then the soft judge's answer."""
    script = json.loads(json.dumps(SOLVING_SCRIPT))
    script[1]["tool_calls"][1]["arguments"]["content"] = (
        "Hi Helga,\n\nI do not want to inspire future scientists any more.\n\nBest,\nRohini Deshpande")
    return script + [{"content": "Both say the user no longer wishes to inspire scientists. " + verdict}]


@pytest.mark.parametrize("verdict,status", [("[[Success]]", "passed"), ("[[Failure]]", "failed")])
def test_llm_soft_judge_in_the_run(server, verdict, status):
    s = server(reworded_script(verdict))
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json", GAIA2)
    result = run_json(proc)
    assert result["status"] == status, proc.stderr
    assert proc.returncode == (0 if status == "passed" else 1)
    requests = s.requests()
    assert len(requests) == 5
    judge = requests[4]["body"]
    assert "tools" not in judge
    prompt = judge["messages"][1]["content"]
    assert "reply_to_email" in prompt and "content" in prompt
    assert "I no longer wish to inspire future scientists" in prompt        # the oracle's
    assert "I do not want to inspire future scientists any more" in prompt  # the agent's
    # the judge's request is counted with the agent's
    assert result["usage"]["requests"] == 5


def test_exact_soft_judge_asks_no_model(server):
    s = server(reworded_script("[[Success]]"))
    proc = sigma_run("--agent", "llm", "--soft-judge", "exact", "--model", "gpt-4o", "--base-url", s.base_url,
                     "--json", GAIA2)
    assert proc.returncode == 1, proc.stderr
    assert run_json(proc)["status"] == "failed"
    assert len(s.requests()) == 4


def test_prices_from_the_environment(server, tmp_path):
    prices = tmp_path / "env-prices.json"
    prices.write_text(json.dumps({"gpt-4o": {"prompt": 10, "completion": 0}}))
    s = server(SOLVING_SCRIPT)
    proc = sigma_run("--agent", "llm", "--model", "gpt-4o", "--base-url", s.base_url, "--json", GAIA2,
                     env_extra={"SIGMA_LLM_PRICES": str(prices)})
    assert proc.returncode == 0, proc.stderr
    assert run_json(proc)["usage"]["cost"] == pytest.approx(1300 * 10 / 1e6)


def test_bad_prices_file_is_an_error(tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text('{"gpt-4o": {"prompt": "cheap"}}')
    proc = sigma_run("--agent", "llm", "--prices", str(prices), GAIA2)
    assert proc.returncode == 2
    assert "gpt-4o" in proc.stderr and str(prices) in proc.stderr
