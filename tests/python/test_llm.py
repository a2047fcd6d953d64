# SPDX-License-Identifier: LGPL-2.1-or-later
"""The LLM client, agent and soft judge seen from Python through GObject-Introspection, against
the scripted fake server of tests/llm (127.0.0.1 only)."""

import json
import os
import subprocess
import sys

import pytest

import gi

gi.require_version('Json', '1.0')
gi.require_version('Sigma', '1')
from gi.repository import GLib, Json, Sigma  # noqa: E402

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'llm', 'fake_openai_server.py')


@pytest.fixture
def fake(tmp_path):
    procs = []

    def start(script):
        script_path = tmp_path / 'script.json'
        script_path.write_text(json.dumps(script))
        proc = subprocess.Popen([sys.executable, FAKE, str(script_path), str(tmp_path / 'log.ndjson')],
                                stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        return 'http://127.0.0.1:%d/v1' % int(proc.stdout.readline())

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def messages(*pairs):
    array = Json.Array.new()
    for role, content in pairs:
        obj = Json.Object.new()
        obj.set_string_member('role', role)
        obj.set_string_member('content', content)
        array.add_object_element(obj)
    return array


def test_chat_reply_and_usage(fake):
    url = fake([{'content': 'thinking', 'usage': {'prompt_tokens': 2000, 'completion_tokens': 100},
                 'tool_calls': [{'name': 'Contacts__get_contacts', 'arguments': {'offset': 0}, 'id': 'a'},
                                {'name': 'Contacts__get_contact', 'arguments': '[1]', 'id': 'b'}]}])
    client = Sigma.LlmClient.new(url, 'gpt-4o-mini')
    reply = client.chat(messages(('user', 'hi')), None, None, None)
    assert reply.get_content() == 'thinking'
    assert reply.get_finish_reason() == 'tool_calls'
    assert reply.get_n_tool_calls() == 2
    assert reply.get_tool_call_id(0) == 'a'
    assert reply.parse_tool_call_arguments(0).get_int_member('offset') == 0
    with pytest.raises(GLib.Error) as info:
        reply.parse_tool_call_arguments(1)
    assert info.value.matches(Sigma.llm_error_quark(), Sigma.LlmError.BAD_ARGUMENTS)
    assert 'must be a JSON object' in info.value.message
    usage = reply.get_usage()
    assert (usage.prompt_tokens, usage.completion_tokens, usage.n_requests) == (2000, 100, 1)
    assert usage.cost == pytest.approx((2000 * 0.15 + 100 * 0.60) / 1e6)
    total = client.get_usage()
    assert total.cost == pytest.approx(usage.cost)


def test_errors_are_glib_errors(fake):
    url = fake([{'status': 404, 'body': {'error': {'message': 'no such model'}}}])
    client = Sigma.LlmClient.new(url, 'gpt-4o')
    with pytest.raises(GLib.Error) as info:
        client.chat(messages(('user', 'hi')), None, None, None)
    assert info.value.matches(Sigma.llm_error_quark(), Sigma.LlmError.HTTP)
    assert 'HTTP 404' in info.value.message and 'no such model' in info.value.message


def test_soft_judge_from_python(fake):
    url = fake([{'content': 'Same meaning. [[Success]]'}, {'content': 'Wrong day. [[Failure]]'}])
    judge = Sigma.LlmSoftJudge.new(Sigma.LlmClient.new(url, 'gpt-4o'))
    assert judge.get_name() == 'llm:gpt-4o'
    ok, equal, why = judge.compare('Emails__send_email', 'content', 'See you Monday', 'See you on Monday!',
                                   None)
    assert ok and equal and why is None
    ok, equal, why = judge.compare('Emails__send_email', 'content', 'See you Monday', 'See you Friday', None)
    assert ok and not equal and 'Wrong day' in why
    assert Sigma.LlmSoftJudge.parse_answer('[[Success]]') == (True, True)
    assert Sigma.LlmSoftJudge.parse_answer('nothing')[0] is False
