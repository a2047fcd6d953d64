# SPDX-License-Identifier: LGPL-2.1-or-later
"""The result store from Python: batches and runs in, JSON out, GErrors as exceptions."""

import gi

gi.require_version('Sigma', '1')
gi.require_version('Json', '1.0')
from gi.repository import GLib, Json, Sigma  # noqa: E402

import pytest  # noqa: E402


def to_python(node):
    import json
    return json.loads(Json.to_string(node, False))


def test_store_round_trip(tmp_path):
    store = Sigma.ResultStore.open(str(tmp_path / 'r.db'))
    config = Json.Object()
    config.set_string_member('agent', 'oracle')
    config.set_int_member('runs', 2)
    batch_id = store.add_batch(config)
    assert batch_id >= 1

    for k, status in enumerate([Sigma.RunStatus.PASSED, Sigma.RunStatus.FAILED]):
        result = Sigma.RunResult.new('demo', 'oracle', k)
        result.set_verdict(status, 'why', 1.0 if status == Sigma.RunStatus.PASSED else 0.0)
        assert store.add_run(batch_id, k, result, None) >= 1

    summary = to_python(store.get_batch(batch_id))
    stats = summary['statistics']
    assert (stats['passed'], stats['failed'], stats['errors']) == (1, 1, 0)
    assert stats['pass_at_1'] == 0.5 and stats['pass_at_k'] == 1.0 and stats['pass_hat_k'] == 0.0
    assert [b['id'] for b in to_python(store.list_batches())] == [batch_id]
    assert [r['status'] for r in to_python(store.list_runs(batch_id))] == ['passed', 'failed']
    assert Sigma.pass_at_k(5, 2, 2) == pytest.approx(0.7)


def test_errors_are_exceptions(tmp_path):
    bad = tmp_path / 'bad.db'
    bad.write_text('not a database ' * 20)
    with pytest.raises(GLib.Error) as info:
        Sigma.ResultStore.open(str(bad))
    assert info.value.matches(Sigma.result_store_error_quark(), Sigma.ResultStoreError.CORRUPT)
    store = Sigma.ResultStore.open(str(tmp_path / 'r.db'))
    with pytest.raises(GLib.Error) as info:
        store.get_trajectory(42)
    assert info.value.matches(Sigma.result_store_error_quark(), Sigma.ResultStoreError.NOT_FOUND)
