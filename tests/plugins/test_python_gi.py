# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python plugins loaded by sigma_plugins_load_folder() from a Python program (through GI):
libpeas joins this interpreter instead of embedding one. The C demo plugin and its Python
twin must produce byte-identical event logs."""

import os

import gi

gi.require_version('Sigma', '1')
from gi.repository import GLib, Sigma  # noqa: E402

import pytest  # noqa: E402

DEMO_PLUGIN = os.environ["SIGMA_DEMO_PLUGIN"]
PYTHON_PLUGINS = os.environ["SIGMA_PYTHON_PLUGINS"]


@pytest.fixture
def registry():
    registry = Sigma.ScenarioRegistry.new()
    # the Python module demo_py is imported once per process; every registry gets its
    # scenarios. (The errors array is C-only: PyGObject passes a copy of a Python list.)
    assert Sigma.plugins_load_folder(registry, PYTHON_PLUGINS, None) == 1
    Sigma.plugins_load_file(registry, DEMO_PLUGIN)
    return registry


def oracle_run(registry, scenario_id):
    scenario = registry.create(scenario_id)
    env = Sigma.Environment.new()
    env.set_oracle_mode(True)
    scenario.setup(env)
    env.run()
    passed, rationale = scenario.validate(env)
    return env.get_log().to_string(), passed, rationale


def test_python_plugin_is_registered_with_its_location(registry):
    info = registry.lookup('plugin_add_contact_py')
    assert info.get_source() == Sigma.ScenarioSource.PYTHON_PLUGIN
    assert info.get_location() == os.path.join(PYTHON_PLUGINS, 'demo_py.plugin')
    assert list(info.get_tags()) == ['demo', 'contacts']
    assert registry.lookup('plugin_add_contact').get_source() == Sigma.ScenarioSource.C_PLUGIN


@pytest.mark.parametrize('c_id, python_id, verdict', [
    ('plugin_add_contact', 'plugin_add_contact_py', True),
    ('plugin_add_contact_wrong', 'plugin_add_contact_wrong_py', False),
])
def test_c_and_python_twins_log_the_same_bytes(registry, c_id, python_id, verdict):
    c_log, c_passed, c_rationale = oracle_run(registry, c_id)
    py_log, py_passed, py_rationale = oracle_run(registry, python_id)
    assert 'add_new_contact' in c_log and 'Lovelace' in c_log or not verdict
    assert py_log == c_log
    assert (c_passed, py_passed) == (verdict, verdict)
    if not verdict:
        assert py_rationale == c_rationale == 'The contacts do not hold exactly one Ada Lovelace'


def test_twin_logs_differ_when_the_runs_differ(registry):
    # the comparison above can fail: the right and the wrong oracle log different calls
    assert oracle_run(registry, 'plugin_add_contact_py')[0] != \
        oracle_run(registry, 'plugin_add_contact_wrong_py')[0]


def test_loading_again_into_the_same_registry_is_an_id_clash(registry):
    assert Sigma.plugins_load_folder(registry, PYTHON_PLUGINS, None) == 0
    path = os.path.join(PYTHON_PLUGINS, 'demo_py.plugin')
    with pytest.raises(GLib.Error) as raised:
        Sigma.plugins_load_file(registry, path)
    assert raised.value.message.startswith(path + ': ')
    assert "'plugin_add_contact_py' is already registered" in raised.value.message


def test_load_file_raises_for_a_bad_description(tmp_path):
    path = tmp_path / 'bad.plugin'
    path.write_text('[Plugin]\nLoader=python3\n')
    with pytest.raises(GLib.Error) as raised:
        Sigma.plugins_load_file(Sigma.ScenarioRegistry.new(), str(path))
    assert raised.value.matches(Sigma.error_quark(), int(Sigma.Error.INVALID_DATA))
    assert str(path) in raised.value.message
