# SPDX-License-Identifier: LGPL-2.1-or-later
"""A built-in scenario written in Python: scenarios/python/sigma_tutorial_contact_email.py
("tutorial_contact_email_py") is the twin of the built-in "tutorial_contact_email" (C). For
the oracle and for scripted agents that pass or fail each of its checks, both give the same
result through the `sigma` CLI and log the same bytes through GI (Sigma.Runner)."""

import json
import os
import subprocess

import gi

gi.require_version('Json', '1.0')
gi.require_version('Sigma', '1')
from gi.repository import Json, Sigma  # noqa: E402

import pytest  # noqa: E402

SIGMA = os.environ['SIGMA_CLI']
# the shipped Python examples, in the source tree
EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        'scenarios', 'python')
C_ID = 'tutorial_contact_email'
PY_ID = 'tutorial_contact_email_py'
LEA = 'lea.fontaine@atelier-fontaine.fr'


def wait(seconds):
    return {'wait': seconds}


def send_email(recipients, content, **more):
    return {'tool': 'Emails__send_email',
            'args': dict(recipients=recipients, subject='Late', content=content, **more)}


def tell_user(text='Sent.'):
    return {'tool': 'AgentUserInterface__send_message_to_user', 'args': {'content': text}}


SEARCH = {'tool': 'Contacts__search_contacts', 'args': {'query': 'Fontaine'}}

# scripted agents, each with the verdict and (the start of) the rationale both scenarios give
SCRIPTS = {
    'right': ([wait(12), SEARCH, send_email([LEA], 'Nadia will be 15 min late.'), tell_user()],
              True, 'One email to Léa Fontaine <%s> saying 15 minutes late' % LEA),
    'namesake': ([wait(12), {'tool': 'Contacts__search_contacts', 'args': {'query': 'Léo'}},
                  send_email(['leo.fontana@gmail.com'], "I'll be 15 minutes late."), tell_user()],
                 False, 'Expected exactly one email, sent with send_email to Léa Fontaine <%s> '
                        'only; the agent sent send_email to leo.fontana@gmail.com' % LEA),
    'with_cc': ([wait(12), send_email(['LEA.Fontaine@atelier-fontaine.fr'], '15 minutes late',
                                      cc=['marcus.chen@northwind.example']), tell_user()],
                False, 'Expected exactly one email, sent with send_email to Léa Fontaine <%s> only; '
                       'the agent sent send_email to LEA.Fontaine@atelier-fontaine.fr, '
                       'marcus.chen@northwind.example' % LEA),
    'two_emails': ([wait(12), send_email([LEA], '15 minutes late'),
                    send_email([LEA], 'Sorry, 15 minutes.'), tell_user()],
                   False, 'Expected exactly one email, sent with send_email to Léa Fontaine <%s> '
                          'only; the agent sent send_email to %s; send_email to %s' % (LEA, LEA, LEA)),
    'no_email': ([wait(12), SEARCH, tell_user('I could not find her.')],
                 False, 'Expected exactly one email, sent with send_email to Léa Fontaine <%s> '
                        'only; the agent sent no email' % LEA),
    'not_late': ([wait(12), send_email(['Lea.Fontaine@Atelier-Fontaine.fr'], 'See you at 10:30!'),
                  tell_user()],
                 False, 'The email to Léa Fontaine must say the user is 15 minutes late; its '
                        'content was "See you at 10:30!"'),
    'no_content': ([wait(12), {'tool': 'Emails__send_email', 'args': {'recipients': [LEA]}},
                    tell_user()],
                   False, 'The email to Léa Fontaine must say the user is 15 minutes late; its '
                          'content was ""'),
    'silent': ([wait(12), send_email([LEA], 'Running fifteen (15) minutes late.')],
               False, 'The email was sent, but the agent never told the user (no '
                      'AgentUserInterface.send_message_to_user)'),
}


# ------------------------------------------------------------------------------------------
# Through the CLI, which loads the plugin from SIGMA_PLUGIN_PATH (CPython embedded by libpeas)

def sigma(*args, check):
    env = dict(os.environ, SIGMA_PLUGIN_PATH=EXAMPLES)
    result = subprocess.run([SIGMA, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == check, result.stdout + result.stderr
    assert result.stderr == ''
    return result.stdout


def run_json(scenario_id, *agent, check):
    result = json.loads(sigma('run', scenario_id, '--json', *agent, check=check))
    assert result['scenario_id'] == scenario_id
    for varying in ('scenario_id', 'wall_seconds', 'wall_time'):
        del result[varying]
    return result


def test_the_twin_is_listed_as_a_python_plugin():
    listed = {s['scenario_id']: s for s in json.loads(sigma('list', '--json', check=0))}
    c, py = listed[C_ID], listed[PY_ID]
    assert c['source'] == 'built-in'
    assert py['source'] == 'python-plugin'
    assert py['location'] == os.path.join(EXAMPLES, 'sigma_tutorial_contact_email.plugin')
    assert py['tags'] == c['tags'] == ['tutorial', 'contacts', 'email']
    assert py['summary'].startswith(c['summary'][:-1])


def test_cli_oracle_runs_print_the_same_result():
    c = run_json(C_ID, '--oracle', check=0)
    py = run_json(PY_ID, '--oracle', check=0)
    assert c['verdict'] == 'pass'
    assert py == c


@pytest.mark.parametrize('name', sorted(SCRIPTS))
def test_cli_scripted_runs_print_the_same_result(tmp_path, name):
    actions, passed, rationale = SCRIPTS[name]
    script = tmp_path / 'agent.json'
    script.write_text(json.dumps(actions))
    agent = '--agent=scripted:%s' % script
    c = run_json(C_ID, agent, check=0 if passed else 1)
    py = run_json(PY_ID, agent, check=0 if passed else 1)
    assert c['verdict'] == ('pass' if passed else 'fail')
    # the CLI prints the rationale of a failure only
    assert c['rationale'].startswith(rationale) if not passed else c['rationale'] is None
    assert py == c


# ------------------------------------------------------------------------------------------
# Through GI: the plugin joins this interpreter; Sigma.Runner runs both scenarios


@pytest.fixture(scope='module')
def registry():
    registry = Sigma.ScenarioRegistry.new()
    Sigma.builtin_scenarios_register(registry)
    assert Sigma.plugins_load_folder(registry, EXAMPLES, None) >= 1
    assert registry.lookup(PY_ID).get_source() == Sigma.ScenarioSource.PYTHON_PLUGIN
    return registry


def scripted(actions):
    return Sigma.ScriptedAgent.new_from_json(Json.from_string(json.dumps(actions)))


def run(registry, scenario_id, agent):
    result = Sigma.Runner.new(registry.create(scenario_id), agent).run(None)
    return result.get_log().to_string(), result.get_status(), result.get_rationale()


SETTINGS = ('start-time', 'duration', 'time-increment', 'seed', 'tags', 'hints')


def test_the_settings_are_the_same(registry):
    c, py = registry.create(C_ID), registry.create(PY_ID)
    for name in SETTINGS:
        assert py.get_property(name) == c.get_property(name), name
    assert c.get_property('start-time') == 1728896400.0
    assert c.get_property('seed') == 1


def describe(event):
    """What an event is: its id, class, type, delay, dependencies and the call it makes."""
    described = [event.get_event_id(), type(event).__name__, event.get_event_type(),
                 event.get_delay(), sorted(event.dup_dependency_ids())]
    if isinstance(event, (Sigma.ActionEvent, Sigma.OracleEvent)):
        described += [event.get_app_name(), event.get_function(),
                      Sigma.from_json_node(event.get_args())]
    return described


def test_the_apps_and_events_are_the_same(registry):
    setups = []
    for scenario_id in (C_ID, PY_ID):
        env = Sigma.Environment.new()
        registry.create(scenario_id).setup(env)
        apps = [(app.get_name(), Sigma.from_json_node(app.get_state())) for app in env.list_apps()]
        setups.append((apps, [describe(event) for event in env.list_events()]))
    assert setups[0] == setups[1]
    apps, events = setups[0]
    assert [name for name, _ in apps] == ['AgentUserInterface', 'SystemApp', 'Contacts', 'Emails']
    assert len(apps[2][1]['contacts']) == 5
    assert [e[0] for e in events] == ['user_task', 'oracle_search_contact', 'oracle_send_email',
                                      'oracle_reply']
    assert [e[3] for e in events] == [0, 5, 10, 5]


def test_gi_oracle_runs_log_the_same_bytes(registry):
    c_log, c_status, c_rationale = run(registry, C_ID, Sigma.OracleAgent.new())
    py_log, py_status, py_rationale = run(registry, PY_ID, Sigma.OracleAgent.new())
    assert c_status == Sigma.RunStatus.PASSED
    for event_id in ('user_task', 'oracle_search_contact', 'oracle_send_email', 'oracle_reply'):
        assert event_id in c_log
    assert py_log == c_log
    assert (py_status, py_rationale) == (c_status, c_rationale)


@pytest.mark.parametrize('name', sorted(SCRIPTS))
def test_gi_scripted_runs_log_the_same_bytes(registry, name):
    actions, passed, rationale = SCRIPTS[name]
    c_log, c_status, c_rationale = run(registry, C_ID, scripted(actions))
    py_log, py_status, py_rationale = run(registry, PY_ID, scripted(actions))
    assert c_status == (Sigma.RunStatus.PASSED if passed else Sigma.RunStatus.FAILED)
    assert c_rationale.startswith(rationale)
    assert py_log == c_log
    assert (py_status, py_rationale) == (c_status, c_rationale)


def test_the_comparison_can_fail(registry):
    # different agents log different bytes, so the equalities above are not vacuous
    logs = {run(registry, PY_ID, scripted(SCRIPTS[name][0]))[0] for name in SCRIPTS}
    assert len(logs) == len(SCRIPTS)
    assert run(registry, PY_ID, Sigma.OracleAgent.new())[0] not in logs
