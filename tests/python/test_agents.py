# SPDX-License-Identifier: LGPL-2.1-or-later
"""Agents written in Python drive a scenario through the C runner (GObject-Introspection)."""

import os

from gi.repository import GObject, Sigma

GAIA2 = os.path.join(os.environ.get('SIGMA_CORPUS_DIR', ''), 'gaia2', 'scenario_universe_30_997a5b.json')


class ReplayAgent(GObject.Object, Sigma.Agent):
    """Plays a list of actions and records what it observed."""

    def __init__(self, actions):
        super().__init__()
        self.actions = list(actions)
        self.observations = []
        self.started_with = None

    def do_start(self, scenario, env):
        self.started_with = (scenario.get_scenario_id(), [a.get_name() for a in env.list_apps()])
        return True

    def do_step(self, observation):
        self.observations.append({
            'time': observation.get_time(),
            'messages': [n.get_message() for n in observation.get_notifications()],
            'last_error': observation.get_last_error(),
        })
        if not self.actions:
            return Sigma.AgentAction.new_done()
        return self.actions.pop(0)


def load(path=GAIA2):
    return Sigma.JsonScenario.new_from_file(path, Sigma.JsonFlags.STRICT)


def test_python_agent_gets_the_task_and_fails_when_lazy():
    scenario = load()
    agent = ReplayAgent([Sigma.AgentAction.new_message('I cannot do that.')])
    runner = Sigma.Runner.new(scenario, agent)
    runner.set_think_time(Sigma.ThinkTime.FIXED, 2.0)
    result = runner.run(None)
    assert result.get_status() == Sigma.RunStatus.FAILED
    assert 'Agent count 0' in result.get_rationale()
    assert agent.started_with[0] == scenario.get_scenario_id()
    assert 'AgentUserInterface' in agent.started_with[1]
    first = agent.observations[0]
    assert len(first['messages']) == 1 and first['messages'][0]
    assert result.get_steps() == 1


def test_python_agent_tool_errors_come_back():
    scenario = load()
    agent = ReplayAgent([
        Sigma.AgentAction.new_tool_call('Contacts__no_such_tool', None),
        Sigma.AgentAction.new_wait(5.0),
    ])
    runner = Sigma.Runner.new(scenario, agent)
    result = runner.run(None)
    assert 'no_such_tool' in agent.observations[1]['last_error']
    assert agent.observations[2]['last_error'] is None
    assert result.get_end_reason() == Sigma.EndReason.AGENT_DONE


def test_runner_stepped_from_python_like_a_human():
    scenario = load()
    runner = Sigma.Runner.new(scenario, None)
    runner.start()
    obs = runner.observe()
    assert obs.get_notifications()[0].get_message_type() == Sigma.MessageType.USER_MESSAGE
    ok, result = runner.perform(Sigma.AgentAction.new_tool_call('Contacts__get_contacts', None), 3.0)
    assert ok and result is not None
    ok, _ = runner.perform(Sigma.AgentAction.new_message('Done.'), 1.0)
    assert ok
    assert runner.is_finished()
    verdict = runner.finish()
    assert verdict.get_status() == Sigma.RunStatus.FAILED
    assert verdict.to_json(False).get_object().get_string_member('status') == 'failed'
