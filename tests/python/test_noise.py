# SPDX-License-Identifier: LGPL-2.1-or-later
"""Noise (doc/noise.md) seen from Python: the config takes keyword arguments, applies to an
environment, and the agent-facing tool list shows renamed tools."""

import json

import gi

gi.require_version('Json', '1.0')
gi.require_version('Sigma', '1')
from gi.repository import GLib, Json, Sigma  # noqa: E402

import pytest  # noqa: E402

START = 1728900000.0


def make_env():
    env = Sigma.Environment()
    env.set_start_time(START)
    env.set_duration(1200.0)
    for class_name, name in (('AgentUserInterface', 'AgentUserInterface'), ('EmailClientV2', 'Emails')):
        env.add_app(Sigma.apps_create(class_name, name))
    args = Json.Object()
    args.set_string_member('content', 'Hello')
    start = Sigma.ActionEvent.new(Sigma.EventType.USER, 'AgentUserInterface', 'send_message_to_agent', args)
    start.set_event_id('user_start')
    env.schedule(start)
    return env


def noise_ids(env):
    log = env.get_log()
    return [log.get(i).get_event_id() for i in range(log.get_length())
            if log.get(i).get_event_id().startswith('env_expansion_')]


def test_config_from_python():
    config = Sigma.NoiseConfig(rate=12.0, horizon=600.0, seed=3)
    assert config.props.rate == 12.0
    assert config.get_messages_per_conversation() == 4
    config.set_app_weight('Mail', 2.0)
    assert config.get_app_weight('EmailClientApp') == 2.0

    env = make_env()
    config.apply(env, None)
    env.run()
    ids = noise_ids(env)
    assert ids and all(i.startswith('env_expansion_Emails_email_') for i in ids)

    again = make_env()
    Sigma.NoiseConfig(rate=12.0, horizon=600.0, seed=3).apply(again, None)
    again.run()
    assert noise_ids(again) == ids


def test_malformed_augmentation_raises():
    config = Sigma.NoiseConfig()
    with pytest.raises(GLib.Error) as info:
        config.set_augmentation(Json.from_string(json.dumps({'apps': [{'name': 'Emails', 'app_state': 3}]})))
    assert 'augmentation.apps[0].app_state: expected an object' in info.value.message


def test_agent_tools_renamed():
    env = make_env()
    env.rename_tool('Emails__send_email', 'Emails__dispatch_message', 'Sends mail.')
    tools = json.loads(Json.to_string(env.list_agent_tools(), False))
    names = {t['function']['name']: t['function']['description'] for t in tools}
    assert names['Emails__dispatch_message'] == 'Sends mail.'
    assert 'Emails__send_email' not in names
