# SPDX-License-Identifier: LGPL-2.1-or-later
"""Plugins found at run time: a C module and ARE JSON files in folders named by
SIGMA_PLUGIN_PATH appear in `sigma list` and run with `sigma run`, without rebuilding Sigma."""

import json
import os
import shutil
import subprocess

import pytest

SIGMA = os.environ["SIGMA_CLI"]
DEMO_PLUGIN = os.environ["SIGMA_DEMO_PLUGIN"]
CORPUS = os.environ["SIGMA_CORPUS_DIR"]
PARE_TRACE = os.path.join(CORPUS, "are-scenarios", "pare_trace_demo-simple-contact.json")


def sigma(*args, plugin_path=None, check=None):
    env = dict(os.environ)
    env.pop("SIGMA_PLUGIN_PATH", None)
    if plugin_path is not None:
        env["SIGMA_PLUGIN_PATH"] = os.pathsep.join(str(p) for p in plugin_path)
    result = subprocess.run([SIGMA, *args], env=env, capture_output=True, text=True, timeout=120)
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


@pytest.fixture
def plugin_dir(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(DEMO_PLUGIN, folder / "demo.so")
    shutil.copy(PARE_TRACE, folder / "demo-simple-contact.json")
    return folder


def listed(plugin_path):
    return {s["scenario_id"]: s for s in json.loads(sigma("list", "--json", plugin_path=plugin_path, check=0).stdout)}


def test_plugins_are_listed_with_their_source(plugin_dir):
    scenarios = listed([plugin_dir])
    assert scenarios["plugin_add_contact"]["source"] == "c-plugin"
    assert scenarios["plugin_add_contact"]["location"] == str(plugin_dir / "demo.so")
    assert scenarios["plugin_add_contact"]["summary"] == "Add Ada Lovelace to the contacts (C plugin)"
    assert scenarios["plugin_add_contact"]["tags"] == ["demo", "contacts"]
    assert scenarios["demo_simple_contact"]["source"] == "json-file"
    assert scenarios["demo_simple_contact"]["location"] == str(plugin_dir / "demo-simple-contact.json")


def test_nothing_is_listed_without_plugins(tmp_path):
    assert "plugin_add_contact" not in listed([tmp_path])
    assert "plugin_add_contact" not in listed(None)


def test_c_plugin_runs_its_oracle_and_passes(plugin_dir):
    result = json.loads(sigma("run", "--oracle", "--json", "plugin_add_contact",
                              plugin_path=[plugin_dir], check=0).stdout)
    assert result["verdict"] == "pass"
    assert result["scenario_id"] == "plugin_add_contact"
    assert result["events"] >= 1
    assert result["sim_seconds"] >= 30


def test_wrong_oracle_fails_with_a_rationale(plugin_dir):
    result = json.loads(sigma("run", "--oracle", "--json", "plugin_add_contact_wrong",
                              plugin_path=[plugin_dir], check=1).stdout)
    assert result["verdict"] == "fail"
    assert "Ada Lovelace" in result["rationale"]


def test_json_plugin_runs_like_its_file(plugin_dir):
    by_id = sigma("run", "--oracle", "--json", "--lenient", "demo_simple_contact", plugin_path=[plugin_dir])
    by_file = sigma("run", "--oracle", "--json", "--lenient", str(plugin_dir / "demo-simple-contact.json"))
    assert by_id.returncode == by_file.returncode
    a, b = json.loads(by_id.stdout), json.loads(by_file.stdout)
    for r in (a, b):
        r.pop("wall_seconds")
        r.pop("wall_time")
    assert a == b


def test_unknown_id_is_a_clear_error(plugin_dir):
    result = sigma("run", "--oracle", "no_such_scenario", plugin_path=[plugin_dir], check=2)
    assert "no_such_scenario" in result.stderr
    assert "sigma list" in result.stderr


def test_bad_plugin_files_are_reported_and_others_still_load(plugin_dir):
    (plugin_dir / "broken.so").write_bytes(b"not an ELF file")
    (plugin_dir / "broken.json").write_text("{ not json")
    (plugin_dir / "README.txt").write_text("ignored")
    result = sigma("list", "--json", plugin_path=[plugin_dir], check=0)
    ids = {s["scenario_id"] for s in json.loads(result.stdout)}
    assert {"plugin_add_contact", "demo_simple_contact"} <= ids
    assert "broken.so: not a loadable module" in result.stderr
    assert "broken.json" in result.stderr
    assert "README.txt" not in result.stderr


def test_a_module_without_the_entry_point_is_rejected(plugin_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    # libsigma itself is a valid module that exports no sigma_plugin_register()
    shutil.copy(os.environ["SIGMA_LIBRARY"], other / "notaplugin.so")
    result = sigma("list", plugin_path=[other], check=0)
    assert "does not export sigma_plugin_register()" in result.stderr


def test_duplicate_ids_keep_the_first_folder(plugin_dir, tmp_path):
    second = tmp_path / "second"
    second.mkdir()
    shutil.copy(DEMO_PLUGIN, second / "demo-again.so")
    result = sigma("list", "--json", plugin_path=[plugin_dir, second], check=0)
    scenarios = {s["scenario_id"]: s for s in json.loads(result.stdout)}
    assert scenarios["plugin_add_contact"]["location"] == str(plugin_dir / "demo.so")
    assert "plugin_add_contact" in result.stderr and "demo-again.so" in result.stderr
