# SPDX-License-Identifier: LGPL-2.1-or-later
"""`sigma run --agent …` and `sigma play` through the built command."""

import json
import os
import subprocess

import pytest

SIGMA = os.environ['SIGMA_CLI']
GAIA2 = os.path.join(os.environ['SIGMA_CORPUS_DIR'], 'gaia2', 'scenario_universe_30_997a5b.json')


def sigma(*args, stdin=None, check=None):
    proc = subprocess.run([SIGMA, *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, 'NO_COLOR': '1'})
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def script(tmp_path):
    def write(actions):
        path = tmp_path / 'script.json'
        path.write_text(json.dumps(actions))
        return str(path)
    return write


def test_scripted_agent_that_does_nothing_fails(script):
    path = script([{'tool': 'Contacts__search_contacts', 'args': {'query': 'John'}},
                   {'message': 'I could not do it.'}])
    result = json.loads(sigma('run', '--agent', 'scripted:' + path, '--json', GAIA2, check=1).stdout)
    assert result['status'] == 'failed'
    assert result['verdict'] == 'fail'
    assert result['agent'] == 'scripted:' + path
    assert result['steps'] == 2
    assert result['end_reason'] == 'last_turn'
    assert 'Agent count 0, Oracle count 2' in result['rationale']
    assert result['sim_time'] == 2.0   # two steps of the default fixed 1 s think time


def test_think_time_is_charged_to_the_clock(script):
    path = script([{'message': 'No.'}])
    result = json.loads(sigma('run', '--agent', 'scripted:' + path, '--think-time', 'fixed:42',
                              '--json', GAIA2, check=1).stdout)
    assert result['sim_time'] == 42.0


def test_oracle_agent_passes():
    result = json.loads(sigma('run', '--agent', 'oracle', '--json', GAIA2, check=0).stdout)
    assert result['status'] == 'passed'
    assert result['agent'] == 'oracle'


@pytest.mark.parametrize('args, message', [
    (['--agent', 'bogus'], "unknown agent 'bogus'"),
    (['--agent', 'scripted:/nonexistent.json'], '/nonexistent.json'),
    (['--oracle', '--agent', 'scripted:x.json'], 'different agents'),
    (['--oracle', '--think-time', 'fixed:x'], 'fixed:SECONDS or measured'),
    (['--oracle', '--max-steps', '-3'], '--max-steps'),
    (['--oracle', '--user', 'martian'], "unknown user 'martian'"),
    (['--agent', 'robot'], "unknown agent 'robot'"),
    ([], 'choose an agent'),
])
def test_bad_agent_options_are_clear_errors(args, message):
    proc = sigma('run', *args, GAIA2, check=2)
    assert message in proc.stderr


def test_malformed_script_names_the_action(script):
    path = script([{'message': 'hi'}, {'tool': 'X__y', 'args': [1]}])
    proc = sigma('run', '--agent', 'scripted:' + path, GAIA2, check=2)
    assert "Script action 1: Agent action 'X__y': member 'args' must be an object" in proc.stderr


def test_play_a_session_at_the_terminal():
    session = '\n'.join([
        '6',                            # policy
        '5', 'no_such_tool', 'b',       # a tool that does not exist, then back
        '3', 'Contacts__search_contacts', 'John',
        '7',                            # history
        '8', '30',                      # wait 30 s
        '1', 'I could not find it.',
    ]) + '\n'
    proc = sigma('play', '--think-time', 'fixed:5', GAIA2, stdin=session, check=1)
    out = proc.stdout
    assert 'You are the agent.' in out
    assert 'User:' in out and 'Delete all the "meeting with students" events' in out
    assert 'This scenario gives no policy or hints.' in out
    assert "No tool 'no_such_tool'." in out
    assert 'query: string (required)' in out
    assert 'Result: []' in out
    assert 'AGENT Contacts.search_contacts' in out
    assert 'failed (ended: last_turn, 3 steps' in out
    assert 'Agent count 0' in out
    assert '\033[' not in out            # no colour on a pipe


def test_play_guided_input_rejects_bad_values():
    session = '\n'.join(['3', 'Calendar__get_calendar_events_from_to', 'not a date',
                         '2024-10-15 00:00:00', '2024-10-31 00:00:00', 'abc', '', '', 'q']) + '\n'
    proc = sigma('play', GAIA2, stdin=session, check=2)
    assert 'Not a valid integer: abc' in proc.stdout
    assert 'Quit: the run is not judged.' in proc.stdout


def test_play_end_of_input_quits():
    proc = sigma('play', GAIA2, stdin='', check=2)
    assert 'Quit' in proc.stdout


def test_run_agent_human_is_play():
    session = '\n'.join(['1', 'Sorry, I cannot.']) + '\n'
    proc = sigma('run', '--agent', 'human', '--think-time', 'fixed:2', GAIA2,
                 stdin=session, check=1)
    assert 'You are the agent.' in proc.stdout
    assert 'failed (ended: last_turn, 1 steps, 2 s simulated)' in proc.stdout


def test_play_refuses_another_agent():
    proc = sigma('play', '--agent', 'oracle', GAIA2, stdin='', check=2)
    assert 'you are the agent here' in proc.stderr


def test_play_drafts_a_reply_with_the_llm(tmp_path):
    """Option 2: describe the reply, the model drafts it (a scripted fake OpenAI server)."""
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    fake = os.path.join(here, '..', 'llm', 'fake_openai_server.py')
    script = tmp_path / 'script.json'
    script.write_text(json.dumps([{'content': 'I am sorry, I could not find those meetings.'}]))
    requests = tmp_path / 'requests.ndjson'
    server = subprocess.Popen([sys.executable, fake, str(script), str(requests)],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        session = '\n'.join(['2', 'apologise, nothing found', 'y']) + '\n'
        proc = sigma('play', '--base-url', 'http://127.0.0.1:%d/v1' % port, '--model', 'gpt-4o-mini',
                     GAIA2, stdin=session, check=1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert 'Draft: I am sorry, I could not find those meetings.' in proc.stdout
    sent = [json.loads(line) for line in requests.read_text().splitlines()]
    assert len(sent) == 1
    body = sent[0]['body']
    assert body['messages'][-1]['content'] == 'apologise, nothing found'
    assert 'Delete all the' in body['messages'][0]['content']     # the conversation so far
    assert 'failed (ended: last_turn' in proc.stdout


def test_play_draft_without_endpoint_is_a_clear_error():
    session = '\n'.join(['2', 'say hi', 'q']) + '\n'
    proc = sigma('play', '--base-url', 'http://127.0.0.1:9/v1', '--llm-retries', '0', GAIA2,
                 stdin=session, check=2)
    assert 'Could not draft:' in proc.stdout
