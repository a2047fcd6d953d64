# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python plugins: libpeas plugin descriptions (.plugin) and their Python modules, found in
folders named by SIGMA_PLUGIN_PATH by the `sigma` CLI (which embeds CPython through libpeas)
and by sigma_plugins_load_folder() called from Python through GI."""

import json
import os
import shutil
import subprocess
import textwrap

import pytest

SIGMA = os.environ["SIGMA_CLI"]
DEMO_PLUGIN = os.environ["SIGMA_DEMO_PLUGIN"]
PYTHON_PLUGINS = os.environ["SIGMA_PYTHON_PLUGINS"]
EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       "scenarios", "python")


def sigma(*args, plugin_path=None, check=None):
    env = dict(os.environ)
    env.pop("SIGMA_PLUGIN_PATH", None)
    if plugin_path is not None:
        env["SIGMA_PLUGIN_PATH"] = os.pathsep.join(str(p) for p in plugin_path)
    result = subprocess.run([SIGMA, *args], env=env, capture_output=True, text=True, timeout=120)
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


def copy_plugin(folder, source_dir, module):
    shutil.copy(os.path.join(source_dir, module + ".plugin"), folder)
    shutil.copy(os.path.join(source_dir, module + ".py"), folder)


def write_plugin(folder, module, source, loader="python3"):
    description = "[Plugin]\nModule={}\nName={}\n".format(module, module)
    if loader is not None:
        description += "Loader={}\n".format(loader)
    (folder / (module + ".plugin")).write_text(description)
    (folder / (module + ".py")).write_text(textwrap.dedent(source))


@pytest.fixture
def plugin_dir(tmp_path):
    """A C plugin, the Python twin of its scenarios and the shipped Python example."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(DEMO_PLUGIN, folder / "demo.so")
    copy_plugin(folder, PYTHON_PLUGINS, "demo_py")
    copy_plugin(folder, EXAMPLE, "sigma_example_notes")
    return folder


def listed(result):
    return {s["scenario_id"]: s for s in json.loads(result.stdout)}


def test_python_and_c_plugins_are_listed_with_their_source(plugin_dir):
    result = sigma("list", "--json", plugin_path=[plugin_dir], check=0)
    assert result.stderr == ""
    scenarios = listed(result)
    assert scenarios["plugin_add_contact"]["source"] == "c-plugin"
    py = scenarios["plugin_add_contact_py"]
    assert py["source"] == "python-plugin"
    assert py["location"] == str(plugin_dir / "demo_py.plugin")
    assert py["summary"] == "Add Ada Lovelace to the contacts (Python plugin)"
    assert py["tags"] == ["demo", "contacts"]
    assert scenarios["plugin_add_contact_wrong_py"]["source"] == "python-plugin"
    example = scenarios["python_notes_tagging"]
    assert example["source"] == "python-plugin"
    assert example["location"] == str(plugin_dir / "sigma_example_notes.plugin")
    # the summary defaults to the first line of the class docstring
    assert example["summary"].startswith("Tag the shopping list")


@pytest.mark.parametrize("scenario_id", ["plugin_add_contact", "plugin_add_contact_py"])
def test_oracle_runs_pass(plugin_dir, scenario_id):
    result = json.loads(sigma("run", "--oracle", "--json", scenario_id,
                              plugin_path=[plugin_dir], check=0).stdout)
    assert result["verdict"] == "pass"
    assert result["events"] == 1
    assert result["sim_seconds"] == 30


@pytest.mark.parametrize("scenario_id", ["plugin_add_contact_wrong", "plugin_add_contact_wrong_py"])
def test_wrong_oracles_fail_with_the_same_rationale(plugin_dir, scenario_id):
    result = json.loads(sigma("run", "--oracle", "--json", scenario_id,
                              plugin_path=[plugin_dir], check=1).stdout)
    assert result["verdict"] == "fail"
    assert result["rationale"] == "The contacts do not hold exactly one Ada Lovelace"


def test_c_and_python_twins_print_the_same_result(plugin_dir):
    results = []
    for scenario_id in ("plugin_add_contact", "plugin_add_contact_py"):
        result = json.loads(sigma("run", "--oracle", "--json", scenario_id,
                                  plugin_path=[plugin_dir], check=0).stdout)
        del result["wall_seconds"], result["wall_time"], result["scenario_id"]
        results.append(result)
    assert results[0] == results[1]


def test_the_example_with_a_python_app_runs(plugin_dir):
    result = json.loads(sigma("run", "--oracle", "--json", "python_notes_tagging",
                              plugin_path=[plugin_dir], check=0).stdout)
    assert result["verdict"] == "pass"
    # the oracle tags the list at 5 + 10 s, the reminder follows 2 s later
    assert result["sim_seconds"] == 17


def test_without_the_folder_nothing_python_is_listed(tmp_path):
    assert "plugin_add_contact_py" not in listed(sigma("list", "--json", plugin_path=[tmp_path], check=0))


BROKEN = {
    "syntax_error": ("def broken(:\n", "SyntaxError"),
    "raises_at_import": ("raise RuntimeError('this plugin cannot start')\n",
                         "RuntimeError: this plugin cannot start"),
    "no_provider": ("import gi\ngi.require_version('Sigma', '1')\nfrom gi.repository import Sigma\n",
                    "defines no SigmaScenarioProvider"),
    "no_scenarios": ("import gi\ngi.require_version('Sigma', '1')\nfrom gi.repository import Sigma\n"
                     "class Plugin(Sigma.ScenarioPlugin):\n    pass\n",
                     "declares no @Sigma.scenario class"),
    "taken_id": ("""\
        import gi
        gi.require_version('Sigma', '1')
        from gi.repository import Sigma

        @Sigma.scenario('plugin_add_contact')
        class Taken(Sigma.Scenario):
            '''Takes the id of the C plugin, which loads first.'''

        @Sigma.scenario('free_id_py')
        class Free(Sigma.Scenario):
            '''Registered all the same.'''

        class Plugin(Sigma.ScenarioPlugin):
            pass
        """, "'plugin_add_contact' is already registered"),
}


def test_broken_python_plugins_are_reported_and_skipped(plugin_dir):
    for module, (source, _) in BROKEN.items():
        write_plugin(plugin_dir, "zz_" + module, source)
    (plugin_dir / "not_a_keyfile.plugin").write_text("this is not a key file\n")
    write_plugin(plugin_dir, "c_loader", "", loader="C")
    (plugin_dir / "no_module.plugin").write_text("[Plugin]\nLoader=python3\nName=x\n")
    write_plugin(plugin_dir, "missing_module", "")
    os.remove(plugin_dir / "missing_module.py")

    result = sigma("list", "--json", plugin_path=[plugin_dir], check=0)
    scenarios = listed(result)
    assert {"plugin_add_contact", "plugin_add_contact_py", "python_notes_tagging",
            "free_id_py"} <= set(scenarios)
    assert scenarios["plugin_add_contact"]["source"] == "c-plugin"
    warnings = result.stderr.splitlines()
    for module, (_, why) in BROKEN.items():
        path = str(plugin_dir / ("zz_" + module + ".plugin"))
        assert any(line.startswith("sigma: warning: " + path) for line in warnings), result.stderr
        assert why in result.stderr
    # the traceback of an import failure points at the plugin's own file, not at importlib
    assert 'File "{}", line 1'.format(plugin_dir / "zz_raises_at_import.py") in result.stderr
    assert "importlib" not in result.stderr
    assert str(plugin_dir / "not_a_keyfile.plugin") + ": not a plugin description" in result.stderr
    assert str(plugin_dir / "c_loader.plugin") + ": Loader=C is not supported" in result.stderr
    assert str(plugin_dir / "no_module.plugin") + ": the [Plugin] group has no Module key" in result.stderr
    assert str(plugin_dir / "missing_module.plugin") + ": the Python module 'missing_module' failed to load" in result.stderr
    # the good ones still run
    sigma("run", "--oracle", "plugin_add_contact_py", plugin_path=[plugin_dir], check=0)


def test_a_python_module_name_is_loaded_once(plugin_dir, tmp_path):
    second = tmp_path / "second"
    second.mkdir()
    copy_plugin(second, PYTHON_PLUGINS, "demo_py")
    result = sigma("list", "--json", plugin_path=[plugin_dir, second], check=0)
    scenarios = listed(result)
    assert scenarios["plugin_add_contact_py"]["location"] == str(plugin_dir / "demo_py.plugin")
    assert (str(second / "demo_py.plugin") + ": the Python module name 'demo_py' is already used "
            "by the plugin in " + str(plugin_dir)) in result.stderr


def test_an_exception_in_a_scenario_vfunc_is_a_run_error(plugin_dir):
    write_plugin(plugin_dir, "failing_setup", """\
        import gi
        gi.require_version('Sigma', '1')
        from gi.repository import Sigma

        @Sigma.scenario('failing_setup_py')
        class FailingSetup(Sigma.Scenario):
            '''Its apps cannot be set up.'''
            def do_init_apps(self, env):
                raise ValueError('no apps today')

        class Plugin(Sigma.ScenarioPlugin):
            pass
        """)
    result = sigma("run", "--oracle", "failing_setup_py", plugin_path=[plugin_dir])
    assert result.returncode == 2, result.stdout + result.stderr
    assert "FailingSetup.do_init_apps() raised ValueError: no apps today" in result.stderr


def batch_logs(db):
    import sqlite3
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT r.scenario_id, r.run_index, r.seed, r.status, r.rationale, t.log "
                            "FROM runs r JOIN trajectories t ON t.run_id = r.id").fetchall()
    return {row[:3]: row[3:] for row in rows}


def test_python_scenarios_batch_on_worker_threads(plugin_dir, tmp_path):
    # Python scenarios, their Python app and the C twin run on the batch's worker threads
    # (PyGObject takes the GIL for each vfunc), with the logs of a one-thread batch.
    scenarios = ["plugin_add_contact", "plugin_add_contact_py", "python_notes_tagging"]
    logs = {}
    for jobs in (1, 2):
        db = tmp_path / "jobs{}.db".format(jobs)
        sigma("batch", "--runs", "8", "--jobs", str(jobs), "--db", str(db), *scenarios,
              plugin_path=[plugin_dir], check=0)
        logs[jobs] = batch_logs(db)
    assert len(logs[1]) == 24
    assert all(status == "passed" for status, _, _ in logs[1].values())
    assert logs[1] == logs[2]
