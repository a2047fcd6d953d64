# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Sigma kernel seen from Python through GObject-Introspection.

Every expectation here comes from the public headers (kernel/*.h) and doc/kernel.md; the
comments cite the rule being checked. An app (NotesApp) is written in Python: a Sigma.App
subclass whose tools are Python callables and whose state vfuncs are Python methods.
"""

import json
import re

import pytest

import gi

gi.require_version('Json', '1.0')
gi.require_version('Sigma', '1')
from gi.repository import GLib, Json, Sigma  # noqa: E402

TIMEOUT_NONE = -1      # SIGMA_TIMEOUT_NONE (checked in test_constants)
SIGMA_ERROR = Sigma.error_quark()
NOTES_ERROR_DOMAIN = 'py-notes-error'
NOTES_ERROR_NO_SUCH_NOTE = 1

AGENT = Sigma.EventType.AGENT
ENV = Sigma.EventType.ENV
USER = Sigma.EventType.USER


# --------------------------------------------------------------------------------------------
# JSON helpers


def jnode(value):
    """A Python value as a Json.Node."""
    return Json.from_string(json.dumps(value))


def jobj(**members):
    """Keyword arguments as a Json.Object (tool arguments)."""
    return jnode(members).get_object()


def py(node):
    """A Json.Node as a Python value (None for a missing node)."""
    if node is None:
        return None
    return json.loads(Json.to_string(node, False))


def py_obj(obj):
    """A Json.Object as a Python dict (a dict, as tool handlers receive, stays as it is)."""
    if obj is None or isinstance(obj, dict):
        return obj
    node = Json.Node.new(Json.NodeType.OBJECT)
    node.set_object(obj)
    return py(node)


def is_json_null(node):
    return node is None or node.is_null()


def assert_sigma_error(exc_info, code, *fragments):
    err = exc_info.value
    assert isinstance(err, GLib.Error)
    assert err.matches(SIGMA_ERROR, code), (
        'expected {} in the Sigma domain, got domain={} code={} message={!r}'.format(
            code.value_nick, err.domain, err.code, err.message))
    for fragment in fragments:
        assert fragment in err.message, (
            'error message {!r} does not name {!r}'.format(err.message, fragment))


# --------------------------------------------------------------------------------------------
# A small app written in Python.
#
# Tool handlers are module-level functions taking (app, args) with args a dict of the validated
# arguments (the gi.overrides.Sigma Tool.set_handler converts them) and returning a Python value
# or a Json.Node; an error is a raised GLib.Error, and any other exception becomes a
# TOOL_FAILED error. `app` must be the very Python object that was registered (PyGObject keeps
# the wrapper of a Python subclass).


def _add_note(app, args):
    title = args['title']
    body = args['body']
    app.calls.append(('add_note', py_obj(args)))
    note_id = app.next_id
    app.next_id += 1
    app.notes[note_id] = {'title': title, 'body': body}
    return jnode({'id': note_id})


def _delete_note(app, args):
    app.calls.append(('delete_note', py_obj(args)))
    note_id = args['id']
    if note_id not in app.notes:
        raise GLib.Error('no such note {}'.format(note_id), NOTES_ERROR_DOMAIN,
                         NOTES_ERROR_NO_SUCH_NOTE)
    del app.notes[note_id]
    return jnode({'deleted': note_id})


def _count_notes(app, args):
    app.calls.append(('count_notes', py_obj(args)))
    return jnode(len(app.notes))


def _explode(app, args):
    app.calls.append(('explode', py_obj(args)))
    raise ValueError('the explode tool always raises a plain Python exception')


def _nothing(app, args):
    app.calls.append(('nothing', py_obj(args)))
    return None


def _add_two(app, args):
    # A tool that calls another tool through the environment while it runs (nested call).
    app.calls.append(('add_two', py_obj(args)))
    env = app.get_environment()
    title = args['title']
    first = env.call_tool(app.get_name(), 'add_note', jobj(title=title + ' 1'), AGENT)
    second = env.call_tool(app.get_name(), 'add_note', jobj(title=title + ' 2'), AGENT)
    return jnode({'ids': [py(first)['id'], py(second)['id']]})


ALL_ROLES = Sigma.ToolRole.AGENT | Sigma.ToolRole.USER | Sigma.ToolRole.ENV


def _tool(name, description, roles, operation, handler, params=(), optional=()):
    tool = Sigma.Tool.new(name, description, roles, operation)
    for pname, ptype, pdesc in params:
        tool.add_parameter(pname, ptype, pdesc)
    for pname, ptype, pdesc, default in optional:
        tool.add_optional_parameter(pname, ptype, pdesc, jnode(default))
    tool.set_handler(handler)
    return tool


def notes_tools():
    return [
        _tool('add_note', 'Add a note', ALL_ROLES, Sigma.ToolOperation.WRITE, _add_note,
              params=[('title', Sigma.ValueType.STRING, 'The title of the note')],
              optional=[('body', Sigma.ValueType.STRING, 'The text of the note', '')]),
        _tool('delete_note', 'Delete a note', ALL_ROLES, Sigma.ToolOperation.WRITE,
              _delete_note, params=[('id', Sigma.ValueType.INTEGER, 'The note id')]),
        _tool('count_notes', 'Count the notes', Sigma.ToolRole.AGENT, Sigma.ToolOperation.READ,
              _count_notes),
        _tool('explode', 'Always raises ValueError', ALL_ROLES, Sigma.ToolOperation.WRITE,
              _explode),
        _tool('nothing', 'Returns no result', ALL_ROLES, Sigma.ToolOperation.READ, _nothing),
        _tool('add_two', 'Adds two notes through nested tool calls', Sigma.ToolRole.AGENT,
              Sigma.ToolOperation.WRITE, _add_two,
              params=[('title', Sigma.ValueType.STRING, 'Title prefix')]),
    ]


class NotesApp(Sigma.App):
    __gtype_name__ = 'PyNotesApp'

    def __init__(self, name='notes'):
        super().__init__(name=name)
        self.notes = {}
        self.next_id = 1
        self.calls = []
        self.reset_count = 0
        self.load_count = 0
        for tool in notes_tools():
            self.add_tool(tool)

    # SigmaAppClass vfuncs
    def do_get_state(self):
        return jnode({
            'notes': [{'id': k, 'title': v['title'], 'body': v['body']}
                      for k, v in sorted(self.notes.items())],
            'next_id': self.next_id,
        })

    def do_load_state(self, state):
        value = py(state)
        if not isinstance(value, dict) or not isinstance(value.get('notes'), list):
            raise GLib.Error.new_literal(SIGMA_ERROR, 'notes state must be an object with a '
                                         '"notes" array', int(Sigma.Error.INVALID_DATA))
        if value.get('boom'):
            raise KeyError('boom')
        self.notes = {n['id']: {'title': n['title'], 'body': n.get('body', '')}
                      for n in value['notes']}
        self.next_id = value.get('next_id', max(self.notes, default=0) + 1)
        self.load_count += 1
        return True

    def do_reset(self):
        self.notes = {}
        self.next_id = 1
        self.reset_count += 1

    def do_seed_changed(self):
        # may run before __init__ has finished (sigma_app_set_seed from add_app)
        self.seed_changes = getattr(self, 'seed_changes', 0) + 1


class AuditedNotesApp(NotesApp):
    """Overrides the run_tool vfunc: sees every validated call, answers some itself, refuses
    one with a GLib.Error and chains up to the default (the tool handler) for the rest."""
    __gtype_name__ = 'PyAuditedNotesApp'

    def __init__(self):
        super().__init__(name='audited')
        self.audit = []

    def do_run_tool(self, tool, args):
        self.audit.append((tool.get_name(), py_obj(args)))
        if tool.get_name() == 'count_notes':
            return jnode('answered by run_tool')
        if tool.get_name() == 'nothing':
            raise GLib.Error.new_literal(SIGMA_ERROR, 'refused by run_tool',
                                         int(Sigma.Error.TOOL_FAILED))
        return Sigma.App.do_run_tool(self, tool, args)


def make_env(start=0.0):
    env = Sigma.Environment.new()
    env.set_start_time(start)
    app = NotesApp()
    env.add_app(app)
    return env, app


def action(function, event_id=None, delay=None, event_type=ENV, app='notes', **args):
    ev = Sigma.ActionEvent.new(event_type, app, function, jobj(**args))
    if event_id is not None:
        ev.set_event_id(event_id)
    if delay is not None:
        ev.set_delay(delay)
    return ev


def entries(env):
    log = env.get_log()
    return [log.get(i) for i in range(log.get_length())]


def summary(env):
    return [(e.get_event_id(), e.get_event_time()) for e in entries(env)]


def ids(env):
    return [e.get_event_id() for e in entries(env)]


def by_id(env, event_id):
    found = env.get_log().lookup(event_id)
    assert found is not None, '{!r} not in the log: {}'.format(event_id, ids(env))
    return found


# --------------------------------------------------------------------------------------------
# Library basics


def test_version_string():
    version = Sigma.get_version_string()
    assert isinstance(version, str)
    assert re.fullmatch(r'\d+\.\d+\.\d+.*', version)


def test_error_domain_and_codes():
    assert GLib.quark_to_string(SIGMA_ERROR)
    # The codes are distinct and FAILED is the zero value (sigma-error.h).
    codes = [Sigma.Error.FAILED, Sigma.Error.INVALID_EVENT, Sigma.Error.DUPLICATE_ID,
             Sigma.Error.UNKNOWN_DEPENDENCY, Sigma.Error.CYCLE, Sigma.Error.UNKNOWN_APP,
             Sigma.Error.UNKNOWN_TOOL, Sigma.Error.INVALID_ARGUMENT, Sigma.Error.TOOL_FAILED,
             Sigma.Error.PLACEHOLDER, Sigma.Error.INVALID_STATE, Sigma.Error.INVALID_DATA]
    assert int(Sigma.Error.FAILED) == 0
    assert len({int(c) for c in codes}) == len(codes)


def test_constants():
    # sigma-types.h: SIGMA_TIMEOUT_NONE (-1), SIGMA_DURATION_UNLIMITED (-1.0)
    assert Sigma.TIMEOUT_NONE == -1
    assert Sigma.DURATION_UNLIMITED == -1.0
    assert Sigma.Environment.new().get_duration() == Sigma.DURATION_UNLIMITED


def test_environment_defaults():
    env = Sigma.Environment.new()
    assert env.get_state() == Sigma.EnvironmentState.SETUP
    assert env.get_start_time() == 0.0
    assert env.get_duration() == -1.0
    assert env.get_time_increment() == 1.0
    assert env.get_loop_mode() == Sigma.LoopMode.QUEUE
    assert env.get_exit_when_no_events() is True
    assert env.get_oracle_mode() is False
    assert env.get_failure_reason() is None
    assert env.get_log().get_length() == 0
    assert env.list_apps() == []


# --------------------------------------------------------------------------------------------
# Tools and apps


def test_tool_metadata():
    tool = notes_tools()[0]
    assert tool.get_name() == 'add_note'
    assert tool.get_description() == 'Add a note'
    assert tool.get_roles() == ALL_ROLES
    assert tool.get_roles() & Sigma.ToolRole.AGENT
    assert not tool.get_roles() & Sigma.ToolRole.DATA
    assert tool.get_operation() == Sigma.ToolOperation.WRITE
    assert tool.has_handler()
    assert tool.get_n_parameters() == 2
    assert tool.get_parameter_name(0) == 'title'
    assert tool.get_parameter_type(0) == Sigma.ValueType.STRING
    assert tool.get_parameter_description(0) == 'The title of the note'
    assert tool.get_parameter_required(0) is True
    assert tool.get_parameter_name(1) == 'body'
    assert tool.get_parameter_required(1) is False
    assert py(tool.get_parameter_default(1)) == ''
    schema = json.dumps(py(tool.to_json_schema('notes')))
    assert 'add_note' in schema and 'title' in schema and 'body' in schema


def test_tool_without_handler():
    tool = Sigma.Tool.new('bare', 'no handler', Sigma.ToolRole.AGENT, Sigma.ToolOperation.READ)
    assert not tool.has_handler()
    assert tool.get_n_parameters() == 0


def test_tool_validate_args_fills_defaults():
    tool = notes_tools()[0]
    validated = tool.validate_args(jobj(title='x'))
    assert py_obj(validated) == {'title': 'x', 'body': ''}


@pytest.mark.parametrize('args', [
    {},                                    # missing required
    {'title': 5},                          # wrong type
    {'title': 'x', 'colour': 'red'},       # unknown argument
], ids=['missing', 'wrong-type', 'unknown'])
def test_tool_validate_args_rejects(args):
    tool = notes_tools()[0]
    with pytest.raises(GLib.Error) as exc:
        tool.validate_args(jobj(**args))
    assert_sigma_error(exc, Sigma.Error.INVALID_ARGUMENT)


def test_app_registration():
    env, app = make_env()
    assert app.get_name() == 'notes'
    assert env.get_app('notes') is app
    assert env.get_app('missing') is None
    assert app.get_environment() is env
    assert [a.get_name() for a in env.list_apps()] == ['notes']
    assert app.lookup_tool('add_note').get_name() == 'add_note'
    assert app.lookup_tool('missing') is None
    agent_tools = {t.get_name() for t in app.list_tools(Sigma.ToolRole.AGENT)}
    assert {'add_note', 'delete_note', 'count_notes', 'add_two'} <= agent_tools
    env_tools = {t.get_name() for t in app.list_tools(Sigma.ToolRole.ENV)}
    assert 'count_notes' not in env_tools and 'add_note' in env_tools


def test_duplicate_app_name():
    env, _ = make_env()
    with pytest.raises(GLib.Error) as exc:
        env.add_app(NotesApp())
    assert_sigma_error(exc, Sigma.Error.DUPLICATE_ID, 'notes')
    assert len(env.list_apps()) == 1


# --------------------------------------------------------------------------------------------
# call_tool


def test_call_tool_agent():
    env, app = make_env(start=100.0)
    result = env.call_tool('notes', 'add_note', jobj(title='groceries'), AGENT)
    assert py(result) == {'id': 1}
    assert app.notes == {1: {'title': 'groceries', 'body': ''}}
    # the handler got the validated arguments, with the default filled in
    assert app.calls == [('add_note', {'title': 'groceries', 'body': ''})]

    log = entries(env)
    assert len(log) == 1
    e = log[0]
    assert re.fullmatch(r'AGENT-notes\.add_note-\d{8}', e.get_event_id()), e.get_event_id()
    assert e.get_event_type() == AGENT
    assert e.get_event_time() == 100.0
    assert e.get_app_name() == 'notes'
    assert e.get_function() == 'add_note'
    assert py_obj(e.get_args())['title'] == 'groceries'
    assert py(e.get_return_value()) == {'id': 1}
    assert e.get_error() is None
    assert e.get_error_message() is None
    assert not e.is_failure()
    assert e.is_write()
    assert e.get_operation() == Sigma.ToolOperation.WRITE
    assert env.get_last_event().get_event_id() == e.get_event_id()
    assert env.get_time() == 100.0
    assert env.get_state() != Sigma.EnvironmentState.SETUP


def test_call_tool_user_and_read():
    env, app = make_env()
    env.call_tool('notes', 'add_note', jobj(title='a', body='b'), USER)
    count = env.call_tool('notes', 'count_notes', jobj(), AGENT)
    assert py(count) == 1
    first, second = entries(env)
    assert first.get_event_type() == USER
    assert re.fullmatch(r'USER-notes\.add_note-\d{8}', first.get_event_id())
    assert app.calls[0] == ('add_note', {'title': 'a', 'body': 'b'})
    assert second.get_event_type() == AGENT
    assert not second.is_write()
    assert second.get_operation() == Sigma.ToolOperation.READ
    assert first.get_event_id() != second.get_event_id()


@pytest.mark.parametrize('app_name, tool, args, code', [
    ('nope', 'add_note', {'title': 'x'}, Sigma.Error.UNKNOWN_APP),
    ('notes', 'nope', {'title': 'x'}, Sigma.Error.UNKNOWN_TOOL),
    ('notes', 'add_note', {}, Sigma.Error.INVALID_ARGUMENT),
    ('notes', 'add_note', {'title': 5}, Sigma.Error.INVALID_ARGUMENT),
    ('notes', 'add_note', {'title': 'x', 'colour': 'red'}, Sigma.Error.INVALID_ARGUMENT),
], ids=['unknown-app', 'unknown-tool', 'missing-arg', 'wrong-type', 'unknown-arg'])
def test_call_tool_errors(app_name, tool, args, code):
    env, app = make_env()
    with pytest.raises(GLib.Error) as exc:
        env.call_tool(app_name, tool, jobj(**args), AGENT)
    assert_sigma_error(exc, code)
    assert app.calls == []
    assert app.notes == {}
    # kernel.md: "a failed call is logged too"
    log = entries(env)
    assert len(log) == 1
    assert log[0].is_failure()
    assert log[0].get_error().matches(SIGMA_ERROR, code)
    assert log[0].get_function() == tool
    # the environment is still usable
    assert py(env.call_tool('notes', 'add_note', jobj(title='ok'), AGENT)) == {'id': 1}


def test_handler_raising_glib_error():
    """A handler raising GLib.Error: PyGObject turns it into the handler's GError out argument,
    call_tool raises it back and the failed call is logged (kernel.md, Agents and users)."""
    env, app = make_env()
    with pytest.raises(GLib.Error) as exc:
        env.call_tool('notes', 'delete_note', jobj(id=7), AGENT)
    err = exc.value
    assert 'no such note 7' in err.message
    # The tool's own error (domain and code) reaches the caller unchanged.
    assert (err.domain, err.code) == (NOTES_ERROR_DOMAIN, NOTES_ERROR_NO_SUCH_NOTE), (
        err.domain, err.code, err.message)

    log = entries(env)
    assert len(log) == 1
    failed = log[0]
    assert failed.get_function() == 'delete_note'
    assert failed.is_failure()
    logged_error = failed.get_error()
    assert isinstance(logged_error, GLib.Error)
    assert 'no such note 7' in logged_error.message
    assert (logged_error.domain, logged_error.code) == (NOTES_ERROR_DOMAIN,
                                                       NOTES_ERROR_NO_SUCH_NOTE)
    assert 'no such note 7' in failed.get_error_message()
    assert is_json_null(failed.get_return_value())


def test_handler_raising_python_exception(capfd):
    """A handler raising a plain Python exception is a failed tool call, logged as such.

    PyGObject alone would print the traceback and return NULL (a "successful" call returning
    null); gi.overrides.Sigma's Tool.set_handler turns the exception into a TOOL_FAILED GError
    whose message names the exception type.
    """
    env, app = make_env()
    with pytest.raises(GLib.Error) as exc:
        env.call_tool('notes', 'explode', jobj(), AGENT)
    assert exc.value.matches(SIGMA_ERROR, Sigma.Error.TOOL_FAILED), (exc.value.domain, exc.value.code)
    assert 'ValueError: the explode tool always raises' in exc.value.message
    assert app.calls == [('explode', {})]

    log = entries(env)
    assert len(log) == 1
    logged = log[0]
    assert logged.get_function() == 'explode'
    assert logged.is_failure()
    assert 'ValueError' in logged.get_error_message()
    # The environment is not broken by it.
    assert py(env.call_tool('notes', 'add_note', jobj(title='after'), AGENT)) == {'id': 1}
    assert env.get_state() not in (Sigma.EnvironmentState.FAILED,
                                   Sigma.EnvironmentState.STOPPED)


def test_handler_plain_python_values():
    """Handlers receive a dict and may return plain Python values."""
    env, _ = make_env()
    tool = Sigma.Tool.new('sum', 'Add two numbers', Sigma.ToolRole.AGENT, Sigma.ToolOperation.READ)
    tool.add_parameter('a', Sigma.ValueType.NUMBER, 'A number')
    tool.add_optional_parameter('b', Sigma.ValueType.NUMBER, 'Another', Sigma.to_json_node(2))
    tool.set_handler(lambda app, args: {'sum': args['a'] + args['b'], 'args': args})
    env.get_app('notes').add_tool(tool)
    assert py(env.call_tool('notes', 'sum', jobj(a=40), AGENT)) == {'sum': 42, 'args': {'a': 40, 'b': 2}}
    assert Sigma.from_json_node(Sigma.to_json_node([1, 'x', None])) == [1, 'x', None]


def test_python_exceptions_during_run_do_not_stop_it(capfd):
    # A scheduled action whose handler raises (a failed event) and an event-completed handler
    # that raises (PyGObject prints its traceback): the run itself goes on.
    env, app = make_env()

    def noisy(e, ev):
        if ev.get_event_id() == 'boom':
            raise RuntimeError('signal handler failure')

    env.connect('event-completed', noisy)
    env.schedule_events([action('explode', 'boom', delay=1),
                         action('add_note', 'after', delay=2, title='x')])
    env.run()
    assert ids(env) == ['boom', 'after']
    assert app.notes == {1: {'title': 'x', 'body': ''}}
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    boom = [e for e in entries(env) if e.get_event_id() == 'boom'][0]
    assert boom.is_failure() and 'ValueError' in boom.get_error_message()
    err = capfd.readouterr().err
    assert 'signal handler failure' in err


def test_handler_returning_none_logs_null():
    env, app = make_env()
    result = env.call_tool('notes', 'nothing', jobj(), AGENT)
    assert is_json_null(result)
    logged = entries(env)[0]
    assert is_json_null(logged.get_return_value())
    assert not logged.is_failure()
    assert logged.get_error() is None


def test_nested_tool_call_logged_once():
    env, app = make_env()
    result = env.call_tool('notes', 'add_two', jobj(title='n'), AGENT)
    assert py(result) == {'ids': [1, 2]}
    assert [c[0] for c in app.calls] == ['add_two', 'add_note', 'add_note']
    assert sorted(n['title'] for n in app.notes.values()) == ['n 1', 'n 2']
    # kernel.md: one event, one log entry
    log = entries(env)
    assert len(log) == 1
    assert log[0].get_function() == 'add_two'


# --------------------------------------------------------------------------------------------
# App vfuncs implemented in Python


def test_get_state_vfunc():
    env, app = make_env()
    env.call_tool('notes', 'add_note', jobj(title='t', body='b'), AGENT)
    state = app.get_state()
    assert state is not None, 'do_get_state was not called through sigma_app_get_state'
    assert py(state) == {'notes': [{'id': 1, 'title': 't', 'body': 'b'}], 'next_id': 2}


def test_load_state_vfunc():
    app = NotesApp()
    assert app.load_state(jnode({'notes': [{'id': 4, 'title': 'x', 'body': ''}],
                                 'next_id': 5})) is True
    assert app.load_count == 1
    assert app.notes == {4: {'title': 'x', 'body': ''}}
    assert py(app.get_state())['next_id'] == 5


def test_load_state_vfunc_glib_error_roundtrip():
    """do_load_state raising GLib.Error → GError out of the vfunc → GLib.Error in Python."""
    app = NotesApp()
    with pytest.raises(GLib.Error) as exc:
        app.load_state(jnode([1, 2, 3]))
    assert_sigma_error(exc, Sigma.Error.INVALID_DATA, '"notes" array')
    assert app.load_count == 0


def test_load_state_vfunc_python_exception(capfd):
    """A non-GLib exception in a gboolean+GError vfunc becomes FALSE *without* a GError
    (PyGObject behaviour). The call must not crash and must not report success."""
    app = NotesApp()
    try:
        ok = app.load_state(jnode({'notes': [], 'boom': True}))
    except GLib.Error:
        ok = False
    assert ok is not True
    assert 'KeyError' in capfd.readouterr().err
    assert app.load_count == 0


def test_run_tool_vfunc_override():
    env = Sigma.Environment.new()
    app = AuditedNotesApp()
    env.add_app(app)
    # chained up to the default implementation, which calls the Python handler
    assert py(env.call_tool('audited', 'add_note', jobj(title='t'), AGENT)) == {'id': 1}
    assert app.audit[-1] == ('add_note', {'title': 't', 'body': ''})
    assert app.calls == [('add_note', {'title': 't', 'body': ''})]
    # answered by the override; the handler is not called
    assert py(env.call_tool('audited', 'count_notes', jobj(), AGENT)) == 'answered by run_tool'
    assert [c[0] for c in app.calls] == ['add_note']
    # a GLib.Error raised by the override
    with pytest.raises(GLib.Error) as exc:
        env.call_tool('audited', 'nothing', jobj(), AGENT)
    assert_sigma_error(exc, Sigma.Error.TOOL_FAILED, 'refused by run_tool')
    # a handler error crossing C → Python (vfunc) → C (chain-up) → Python (handler) and back
    with pytest.raises(GLib.Error) as exc:
        env.call_tool('audited', 'delete_note', jobj(id=9), AGENT)
    assert (exc.value.domain, exc.value.code) == (NOTES_ERROR_DOMAIN, NOTES_ERROR_NO_SUCH_NOTE)
    log = entries(env)
    assert [e.is_failure() for e in log] == [False, False, True, True]
    assert 'refused by run_tool' in log[2].get_error_message()
    # invalid arguments are rejected before run_tool is reached
    with pytest.raises(GLib.Error) as exc:
        env.call_tool('audited', 'add_note', jobj(), AGENT)
    assert_sigma_error(exc, Sigma.Error.INVALID_ARGUMENT)
    assert len(app.audit) == 4
    # sigma_app_invoke goes through the vfunc too, without logging
    assert py(app.invoke('count_notes', jobj())) == 'answered by run_tool'
    assert len(entries(env)) == 5        # the refused call is logged; invoke is not
    assert len(app.audit) == 5


def test_seed_changed_vfunc_and_seeded_rand():
    env, app = make_env()
    before = getattr(app, 'seed_changes', 0)
    env.set_seed(42)
    assert app.get_seed() == 42
    assert app.seed_changes == before + 1
    first = [app.get_rand().int_range(0, 1 << 30) for _ in range(5)]
    # same seed and app name → same stream; another name → another stream
    env2, app2 = make_env()
    env2.set_seed(42)
    assert [app2.get_rand().int_range(0, 1 << 30) for _ in range(5)] == first
    other = NotesApp(name='other-notes')
    other.set_seed(42)
    assert [other.get_rand().int_range(0, 1 << 30) for _ in range(5)] != first
    # reset restarts the generator from the seed
    app.reset()
    assert [app.get_rand().int_range(0, 1 << 30) for _ in range(5)] == first


def test_reset_vfunc():
    env, app = make_env()
    env.call_tool('notes', 'add_note', jobj(title='t'), AGENT)
    app.reset()
    assert app.reset_count == 1
    assert app.notes == {}


# --------------------------------------------------------------------------------------------
# Scheduling and running events


def test_action_event_runs_at_start_plus_delay():
    env, app = make_env(start=1000.0)
    ev = action('add_note', 'add1', delay=5, title='hello')
    assert ev.get_delay() == 5.0
    assert ev.get_event_type() == ENV
    assert ev.get_app_name() == 'notes'
    assert ev.get_function() == 'add_note'
    assert py_obj(ev.get_args()) == {'title': 'hello'}
    assert ev.get_status() == Sigma.EventStatus.NEW
    assert env.schedule(ev) is True
    assert env.lookup_event('add1') is ev
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert summary(env) == [('add1', 1005.0)]
    done = by_id(env, 'add1')
    assert done.get_event_type() == ENV
    assert py(done.get_return_value()) == {'id': 1}
    assert done.get_error() is None
    assert app.notes == {1: {'title': 'hello', 'body': ''}}
    assert ev.get_status() == Sigma.EventStatus.DONE
    assert env.get_time() == 1005.0
    assert env.get_clock().get_time() == 1005.0
    assert env.get_failure_reason() is None


def test_depends_on_and_followed_by():
    env, app = make_env()
    a = action('add_note', 'a', delay=1, title='A')
    b = action('add_note', 'b', delay=2, title='B')
    c = action('add_note', 'c', delay=0, title='C')
    d = action('add_note', 'd', delay=1, title='D')
    assert b.depends_on(a) is b          # returns self for chaining
    assert a.followed_by(c) is a
    d.depends_on(b).depends_on(c)
    # the link is recorded on both events
    assert {e.get_event_id() for e in a.get_successors()} == {'b', 'c'}
    assert [e.get_event_id() for e in b.get_dependencies()] == ['a']
    assert [e.get_event_id() for e in c.get_dependencies()] == ['a']
    assert {e.get_event_id() for e in d.get_dependencies()} == {'b', 'c'}
    # scheduling one event schedules every linked one, transitively
    env.schedule(a)
    assert {e.get_event_id() for e in env.list_events()} == {'a', 'b', 'c', 'd'}
    env.run()
    # child time = max(parent times) + delay; equal times in id order
    assert summary(env) == [('a', 1.0), ('c', 1.0), ('b', 3.0), ('d', 4.0)]
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_add_dependency_id():
    env, _ = make_env()
    a = action('add_note', 'a', delay=2, title='A')
    b = action('add_note', 'b', delay=1, title='B')
    b.add_dependency_id('a')
    assert list(b.dup_dependency_ids()) == ['a']
    env.schedule_events([b, a])
    env.run()
    assert summary(env) == [('a', 2.0), ('b', 3.0)]


def test_equal_times_run_in_strcmp_order():
    env, _ = make_env()
    event_ids = ['b', 'a', 'c10', 'B', 'c9', 'a-1']
    env.schedule_events([action('count_notes', i, event_type=ENV) for i in event_ids])
    env.run()
    assert ids(env) == sorted(event_ids)      # ASCII sort == strcmp


def test_absolute_event_time():
    env, _ = make_env(start=10.0)
    a = action('add_note', 'a', title='A')
    a.set_event_time(17.0)
    assert a.has_event_time() and a.get_time_is_absolute()
    assert a.get_event_time() == 17.0
    parent = action('add_note', 'parent', delay=5, title='P')
    late = action('add_note', 'late', title='L')
    late.set_event_time(11.0)              # before it becomes ready at 15: runs at 15
    late.depends_on(parent)
    env.schedule_events([a, parent])
    env.run()
    assert summary(env) == [('parent', 15.0), ('late', 15.0), ('a', 17.0)]


def test_unset_event_time():
    ev = action('add_note', 'a', delay=3, title='A')
    ev.set_event_time(50.0)
    ev.unset_event_time()
    assert not ev.has_event_time()
    env, _ = make_env()
    env.schedule(ev)
    env.run()
    assert summary(env) == [('a', 3.0)]


def test_auto_ids():
    env, _ = make_env()
    ev = action('add_note', title='A')
    cond = Sigma.ConditionEvent.new('always', lambda env: True)
    env.schedule_events([ev, cond])
    assert re.fullmatch(r'Event-ENV-\d{8}', ev.get_event_id()), ev.get_event_id()
    assert re.fullmatch(r'ConditionCheckEvent-CONDITION-\d{8}', cond.get_event_id()), \
        cond.get_event_id()
    assert ev.get_event_id() != cond.get_event_id()


# --------------------------------------------------------------------------------------------
# Scheduling errors (GLib.Error with the Sigma domain)


@pytest.mark.parametrize('setter, value', [
    ('set_delay', -1.0),
    ('set_delay', float('nan')),
    ('set_delay', float('inf')),
    ('set_event_time', -5.0),
    ('set_event_time', float('nan')),
    ('set_event_time', float('inf')),
], ids=['negative-delay', 'nan-delay', 'inf-delay', 'negative-time', 'nan-time', 'inf-time'])
def test_schedule_invalid_time(setter, value):
    env, _ = make_env()
    ev = action('add_note', 'bad-event', title='x')
    getattr(ev, setter)(value)
    with pytest.raises(GLib.Error) as exc:
        env.schedule(ev)
    assert_sigma_error(exc, Sigma.Error.INVALID_EVENT, 'bad-event')
    assert env.lookup_event('bad-event') is None


def test_schedule_duplicate_id():
    env, _ = make_env()
    env.schedule(action('add_note', 'dup', title='1'))
    with pytest.raises(GLib.Error) as exc:
        env.schedule(action('add_note', 'dup', title='2'))
    assert_sigma_error(exc, Sigma.Error.DUPLICATE_ID, 'dup')
    # duplicate inside one batch
    env2, _ = make_env()
    with pytest.raises(GLib.Error) as exc:
        env2.schedule_events([action('add_note', 'x', title='1'),
                              action('add_note', 'x', title='2')])
    assert_sigma_error(exc, Sigma.Error.DUPLICATE_ID, 'x')
    assert env2.list_events() == []


def test_schedule_unknown_dependency():
    env, _ = make_env()
    ev = action('add_note', 'orphan', title='x')
    ev.add_dependency_id('ghost')
    with pytest.raises(GLib.Error) as exc:
        env.schedule(ev)
    assert_sigma_error(exc, Sigma.Error.UNKNOWN_DEPENDENCY, 'orphan', 'ghost')


def test_schedule_cycle():
    env, _ = make_env()
    a = action('add_note', 'cyc-a', title='a')
    b = action('add_note', 'cyc-b', title='b')
    a.depends_on(b)
    b.depends_on(a)
    with pytest.raises(GLib.Error) as exc:
        env.schedule(a)
    assert_sigma_error(exc, Sigma.Error.CYCLE, 'cyc-a', 'cyc-b')


def test_schedule_batch_is_atomic():
    env, app = make_env()
    good = action('add_note', 'good', delay=1, title='g')
    bad = action('add_note', 'bad', title='b')
    bad.set_delay(-3.0)
    good.followed_by(bad)
    with pytest.raises(GLib.Error) as exc:
        env.schedule(good)
    assert_sigma_error(exc, Sigma.Error.INVALID_EVENT, 'bad')
    assert env.lookup_event('good') is None
    assert env.list_events() == []
    env.run()
    assert ids(env) == []
    assert app.notes == {}


def test_schedule_already_scheduled_event():
    # kernel.md: scheduling an event already scheduled in the same environment does nothing;
    # an event scheduled in another environment is SIGMA_ERROR_INVALID_EVENT.
    env, app = make_env()
    ev = action('add_note', 'once', delay=5, title='o')
    child = action('add_note', 'child', delay=1, title='c')
    ev.followed_by(child)
    env.schedule(ev)
    assert env.schedule(ev) is True
    assert env.schedule(child) is True          # linked events may be scheduled one by one
    assert sorted(e.get_event_id() for e in env.list_events()) == ['child', 'once']
    other, _ = make_env()
    with pytest.raises(GLib.Error) as exc:
        other.schedule(ev)
    assert_sigma_error(exc, Sigma.Error.INVALID_EVENT, 'once')
    assert other.list_events() == []
    env.run()
    assert summary(env) == [('once', 5.0), ('child', 6.0)]
    assert len(app.notes) == 2


def test_linking_a_scheduled_event_is_refused():
    # kernel.md: linking a new dependency to an event that is already scheduled is a
    # programming error (critical warning from sigma_event_depends_on()); the link is not made.
    env, _ = make_env()
    old = action('add_note', 'old', delay=5, title='o')
    env.schedule(old)
    new = action('add_note', 'new', delay=1, title='n')
    old.depends_on(new)
    assert old.get_dependencies() == []
    assert new.get_successors() == []


def test_no_calls_or_scheduling_after_the_run_ended():
    env, app = make_env()
    _three_events(env)
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    with pytest.raises(GLib.Error) as exc:
        env.call_tool('notes', 'count_notes', jobj(), AGENT)
    assert_sigma_error(exc, Sigma.Error.INVALID_STATE)
    with pytest.raises(GLib.Error) as exc:
        env.schedule(action('add_note', 'too-late', title='x'))
    assert_sigma_error(exc, Sigma.Error.INVALID_STATE)
    assert ids(env) == ['e1', 'e2', 'e3']
    assert [c[0] for c in app.calls] == ['add_note'] * 3


# --------------------------------------------------------------------------------------------
# Actions: placeholders and failing tools


def test_placeholder_resolution():
    env, app = make_env()
    a = action('add_note', 'a', delay=1, title='A')
    b = action('delete_note', 'b', id='  {{a.id}} ')     # whole value, trimmed
    b.depends_on(a)
    env.schedule(a)
    env.run()
    assert py(by_id(env, 'b').get_return_value()) == {'deleted': 1}
    assert app.calls[-1] == ('delete_note', {'id': 1})
    assert app.notes == {}


@pytest.mark.parametrize('placeholder', ['{{ghost.id}}', '{{a.missing}}'],
                         ids=['unknown-event', 'missing-key'])
def test_placeholder_errors(placeholder):
    env, app = make_env()
    a = action('add_note', 'a', delay=1, title='A')
    b = action('delete_note', 'b', id=placeholder)
    after = action('add_note', 'after', delay=1, title='after')
    b.depends_on(a)
    b.followed_by(after)
    env.schedule(a)
    env.run()
    failed = by_id(env, 'b')
    assert failed.is_failure()
    err = failed.get_error()
    assert err is not None and err.matches(SIGMA_ERROR, Sigma.Error.PLACEHOLDER), err
    # the tool was not called; successors are still released and the run goes on
    assert [c[0] for c in app.calls] == ['add_note', 'add_note']
    assert summary(env) == [('a', 1.0), ('b', 1.0), ('after', 2.0)]
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_failing_tool_event_releases_successors():
    env, app = make_env()
    bad = action('delete_note', 'bad', delay=1, id=99)
    after = action('add_note', 'after', delay=2, title='still runs')
    bad.followed_by(after)
    env.schedule(bad)
    env.run()
    assert summary(env) == [('bad', 1.0), ('after', 3.0)]
    failed = by_id(env, 'bad')
    assert failed.is_failure()
    assert 'no such note 99' in failed.get_error_message()
    assert bad.get_status() == Sigma.EventStatus.FAILED
    assert after.get_status() == Sigma.EventStatus.DONE
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


# --------------------------------------------------------------------------------------------
# Run control: duration, stop event, loop modes


def test_duration_is_inclusive():
    env, _ = make_env(start=50.0)
    env.set_duration(10.0)
    env.schedule_events([action('add_note', 'at-end', delay=10, title='x'),
                         action('add_note', 'too-late', delay=10.5, title='y')])
    env.run()
    assert ids(env) == ['at-end']
    assert env.get_time() == 60.0
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_stop_event():
    env, _ = make_env()
    stop = Sigma.StopEvent.new()
    stop.set_delay(5)
    env.schedule_events([action('add_note', 'early', delay=3, title='x'), stop,
                         action('add_note', 'late', delay=7, title='y')])
    env.run()
    assert 'early' in ids(env)
    assert 'late' not in ids(env)
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert env.get_time() == 5.0


@pytest.mark.parametrize('mode', ['QUEUE', 'TICK'])
def test_unbounded_run_is_refused(mode):
    # kernel.md: no duration and exit-when-no-events off → SIGMA_ERROR_INVALID_STATE
    env, _ = make_env()
    env.set_loop_mode(getattr(Sigma.LoopMode, mode))
    env.set_exit_when_no_events(False)
    env.schedule(action('add_note', 'a', delay=1, title='x'))
    with pytest.raises(GLib.Error) as exc:
        env.run()
    assert_sigma_error(exc, Sigma.Error.INVALID_STATE)
    assert ids(env) == []


@pytest.mark.parametrize('mode, end', [('QUEUE', 100.0), ('TICK', 90.0)])
def test_run_without_exit_goes_to_duration(mode, end):
    # kernel.md: with exit-when-no-events off the run goes on until the duration; the clock
    # ends at start + duration (in tick mode, the last tick within it).
    env, _ = make_env(start=0.0)
    env.set_loop_mode(getattr(Sigma.LoopMode, mode))
    env.set_time_increment(30.0)
    env.set_duration(100.0)
    env.set_exit_when_no_events(False)
    env.schedule(action('add_note', 'a', delay=30, title='x'))
    env.run()
    assert summary(env) == [('a', 30.0)]
    assert env.get_time() == end
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_start_time_change_moves_setup_events():
    # kernel.md: a root event scheduled during SETUP runs at start + delay, even when the
    # start time is changed after scheduling.
    env, _ = make_env(start=0.0)
    env.schedule(action('add_note', 'a', delay=4, title='x'))
    env.set_start_time(500.0)
    env.run()
    assert summary(env) == [('a', 504.0)]


def _grid_scenario(mode):
    env, _ = make_env()
    env.set_loop_mode(mode)
    a = action('add_note', 'a', delay=2, title='a')
    b = action('add_note', 'b', delay=3, title='b')
    a.followed_by(b)
    env.schedule_events([a, action('count_notes', 'c', delay=4)])
    env.run()
    return env


def test_tick_and_queue_modes_agree_on_grid():
    queue = _grid_scenario(Sigma.LoopMode.QUEUE)
    tick = _grid_scenario(Sigma.LoopMode.TICK)
    assert summary(queue) == [('a', 2.0), ('c', 4.0), ('b', 5.0)]
    assert summary(tick) == summary(queue)
    assert tick.get_log().to_string() == queue.get_log().to_string()


def test_tick_mode_logs_at_next_tick():
    env, _ = make_env()
    env.set_loop_mode(Sigma.LoopMode.TICK)
    env.set_time_increment(10.0)
    env.schedule(action('add_note', 'off-grid', delay=25, title='x'))
    env.run()
    assert summary(env) == [('off-grid', 30.0)]


def test_advance_and_run_until():
    env, _ = make_env(start=0.0)
    env.schedule_events([action('add_note', 'e%d' % t, delay=t, title=str(t))
                         for t in (1, 2, 5, 9)])
    env.advance(3.0)
    assert env.get_time() == 3.0
    assert summary(env) == [('e1', 1.0), ('e2', 2.0)]
    env.run_until(5.0)
    assert env.get_time() == 5.0
    assert ids(env) == ['e1', 'e2', 'e5']
    env.run()
    assert ids(env) == ['e1', 'e2', 'e5', 'e9']


# --------------------------------------------------------------------------------------------
# Conditions (Python lambdas as SigmaConditionFunc and as GClosure)


def _condition_scenario(make_condition):
    env, app = make_env()
    seen = []

    def holds(e):
        seen.append(e)
        return len(app.notes) > 0

    cond = make_condition('has-note', holds)
    cond.set_event_id('gate')
    after = action('add_note', 'after', title='after')
    cond.followed_by(after)
    env.schedule_events([cond, action('add_note', 'n1', delay=2.5, title='first')])
    env.run()
    return env, app, cond, seen


@pytest.mark.parametrize('constructor', ['new', 'new_with_closure'],
                         ids=['callback', 'closure'])
def test_condition_lambda(constructor):
    env, app, cond, seen = _condition_scenario(getattr(Sigma.ConditionEvent, constructor))
    assert cond.get_name() == 'has-note'
    assert summary(env) == [('gate-CHECK_0', 0.0), ('gate-CHECK_1', 1.0), ('gate-CHECK_2', 2.0),
                            ('n1', 2.5), ('gate-CHECK_3', 3.0), ('after', 3.0)]
    checks = [e for e in entries(env) if e.get_event_type() == Sigma.EventType.CONDITION]
    assert [py(e.get_return_value()) for e in checks] == [False, False, False, True]
    assert cond.get_check_count() == 4
    assert len(seen) == 4 and all(e is env for e in seen)
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_condition_every_ticks():
    env, _ = make_env()
    env.set_time_increment(10.0)
    cond = Sigma.ConditionEvent.new('late', lambda e: e.get_time() >= 35)
    cond.set_event_id('late')
    cond.set_every_ticks(2)
    assert cond.get_every_ticks() == 2
    cond.followed_by(action('count_notes', 'after'))
    env.schedule(cond)
    env.run()
    assert summary(env) == [('late-CHECK_0', 0.0), ('late-CHECK_1', 20.0),
                            ('late-CHECK_2', 40.0), ('after', 40.0)]


def test_condition_timeout_drops_silently():
    env, _ = make_env()
    cond = Sigma.ConditionEvent.new('never', lambda e: False)
    cond.set_event_id('never')
    assert cond.get_timeout() == TIMEOUT_NONE
    cond.set_timeout(2)
    after = action('add_note', 'after', title='x')
    cond.followed_by(after)
    env.set_duration(100.0)            # guard: the run must end well before this anyway
    env.schedule(cond)
    env.run()
    # checks while count × every ≤ timeout: counts 1, 2 re-check; count 3 drops
    assert summary(env) == [('never-CHECK_0', 0.0), ('never-CHECK_1', 1.0),
                            ('never-CHECK_2', 2.0)]
    assert cond.get_status() == Sigma.EventStatus.DROPPED
    assert after.get_status() != Sigma.EventStatus.DONE
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert env.get_failure_reason() is None


def test_predicate_raising_python_exception_counts_as_false(capfd):
    """PyGObject prints the traceback and returns FALSE (0) from a gboolean callback that
    raises. Documented here so that a change in that contract is noticed."""
    env, app = make_env()

    def broken(e):
        raise ZeroDivisionError('broken predicate')

    cond = Sigma.ConditionEvent.new('broken', broken)
    cond.set_event_id('broken')
    cond.set_timeout(0)
    cond.followed_by(action('add_note', 'after', title='x'))
    env.schedule(cond)
    env.run()
    assert ids(env) == ['broken-CHECK_0']
    assert py(by_id(env, 'broken-CHECK_0').get_return_value()) is False
    assert 'ZeroDivisionError' in capfd.readouterr().err
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


# --------------------------------------------------------------------------------------------
# ValidationEvent: milestones and minefields over the environment state


def _validation(event_id, every=1, timeout=None):
    v = Sigma.ValidationEvent.new()
    v.set_event_id(event_id)
    v.set_every_ticks(every)
    if timeout is not None:
        v.set_timeout(timeout)
    return v


def _add_milestone(v, closure, name, func):
    if closure:
        v.add_milestone_closure(name, func)
    else:
        v.add_milestone(name, func)


def _add_minefield(v, closure, name, func):
    if closure:
        v.add_minefield_closure(name, func)
    else:
        v.add_minefield(name, func)


def test_validation_defaults():
    v = Sigma.ValidationEvent.new()
    assert v.get_timeout() == 1              # as ARE: a single check
    assert v.get_every_ticks() == 1
    assert v.get_check_count() == 0
    assert list(v.dup_achieved_milestones() or []) == []


@pytest.mark.parametrize('closure', [False, True], ids=['callback', 'closure'])
def test_validation_milestones_achieved(closure):
    # validation.md §1.6 row 1: depends on a t=1 event, every=1, timeout=10, milestones true
    # from t=7 and t=9: checks at t=1..9, then done (and successors released).
    env, _ = make_env()
    parent = action('add_note', 'parent', delay=1, title='p')
    v = _validation('watch-notes', every=1, timeout=10)
    _add_milestone(v, closure, 'm7', lambda e: e.get_time() >= 7)
    _add_milestone(v, closure, 'm9', lambda e: e.get_time() >= 9)
    v.depends_on(parent)
    v.followed_by(action('count_notes', 'after'))
    env.schedule(parent)
    env.run()

    checks = [e for e in entries(env) if e.get_event_type() == Sigma.EventType.VALIDATION]
    assert [e.get_event_time() for e in checks] == [float(t) for t in range(1, 10)]
    results = [py(e.get_return_value()) for e in checks]
    assert [r['success'] for r in results] == [False] * 8 + [True]
    assert results[5]['achieved_milestones'] == []                    # t=6
    assert results[6]['achieved_milestones'] == ['m7']                # t=7
    assert sorted(results[-1]['achieved_milestones']) == ['m7', 'm9']
    assert list(v.dup_achieved_milestones()) == ['m7', 'm9']
    assert v.get_check_count() == 9
    assert by_id(env, 'after').get_event_time() == 9.0
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert env.get_failure_reason() is None


@pytest.mark.parametrize('closure', [False, True], ids=['callback', 'closure'])
def test_validation_milestone_timeout_fails(closure):
    # validation.md §1.6 row 2: same with timeout=7: at t=7 one milestone is open → FAILED.
    env, _ = make_env()
    parent = action('add_note', 'parent', delay=1, title='p')
    v = _validation('watch-notes', every=1, timeout=7)
    _add_milestone(v, closure, 'm7', lambda e: e.get_time() >= 7)
    _add_milestone(v, closure, 'm9', lambda e: e.get_time() >= 9)
    v.depends_on(parent)
    env.schedule(parent)
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    assert env.get_time() == 7.0
    reason = env.get_failure_reason()
    assert reason and 'watch-notes' in reason and 'm9' in reason, reason
    assert list(v.dup_achieved_milestones()) == ['m7']


def test_validation_default_timeout_is_single_check():
    env, _ = make_env()
    v = Sigma.ValidationEvent.new()
    v.set_event_id('once')
    v.set_delay(2)
    v.add_milestone('never', lambda e: False)
    env.set_duration(100.0)            # guard
    env.schedule_events([v, action('add_note', 'later', delay=50, title='x')])
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    assert env.get_time() == 2.0
    assert 'once' in env.get_failure_reason() and 'never' in env.get_failure_reason()
    assert 'later' not in ids(env)
    assert v.get_check_count() == 1


@pytest.mark.parametrize('closure', [False, True], ids=['callback', 'closure'])
def test_minefield_triggers_failure(closure):
    env, app = make_env()
    v = _validation('mine-watch', every=1, timeout=TIMEOUT_NONE)
    calls = []

    def two_notes(e):
        calls.append(e.get_time())
        return len(app.notes) >= 2

    _add_minefield(v, closure, 'two-notes', two_notes)
    env.set_duration(100.0)            # guard
    env.schedule_events([v,
                         action('add_note', 'add1', delay=1, title='1'),
                         action('add_note', 'add2', delay=3, title='2'),
                         action('add_note', 'add3', delay=5, title='3')])
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    reason = env.get_failure_reason()
    assert reason and 'mine-watch' in reason and 'two-notes' in reason, reason
    # 'add2' < 'mine-watch' in strcmp order, so the check at t=3 sees two notes
    assert env.get_time() == 3.0
    assert calls == [0.0, 1.0, 2.0, 3.0]
    assert 'add3' not in ids(env)
    assert len(app.notes) == 2


def test_minefield_watch_expires_silently():
    env, app = make_env()
    v = _validation('short-watch', every=1, timeout=3)
    v.add_minefield('any-note', lambda e: len(app.notes) > 0)
    env.schedule_events([v, action('add_note', 'late-add', delay=5, title='x')])
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert env.get_failure_reason() is None
    assert 'late-add' in ids(env)


def test_minefield_watch_without_timeout_passes():
    # kernel.md: a minefield-only ValidationEvent without timeout does not fail the final
    # check, and the run exits when only such watches remain.
    env, app = make_env()
    v = _validation('forever-watch', every=1, timeout=TIMEOUT_NONE)
    v.add_minefield('ten-notes', lambda e: len(app.notes) >= 10)
    env.set_duration(1000.0)           # guard against a run that never ends
    env.schedule_events([v, action('add_note', 'add', delay=3, title='x')])
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert env.get_failure_reason() is None
    assert env.get_time() == 3.0


# --------------------------------------------------------------------------------------------
# AgentValidationEvent: milestones and minefields over each AGENT event


def _agent_validation(event_id, delay=0, timeout=None):
    v = Sigma.AgentValidationEvent.new()
    v.set_event_id(event_id)
    v.set_delay(delay)
    if timeout is not None:
        v.set_timeout(timeout)
    return v


def _agent_call(env, time, tool, **args):
    """An agent tool call at simulated `time`; returns the GLib.Error it raised, if any."""
    if time > env.get_time():
        env.run_until(time)
    assert env.get_time() == time
    try:
        env.call_tool('notes', tool, jobj(**args), AGENT)
    except GLib.Error as e:
        return e
    return None


def test_agent_validation_defaults():
    v = Sigma.AgentValidationEvent.new()
    assert v.get_timeout() == TIMEOUT_NONE


@pytest.mark.parametrize('closure', [False, True], ids=['callback', 'closure'])
def test_agent_minefield_triggers(closure):
    # validation.md §1.6 last row: minefield, start t=0, timeout=5, a call at t=1 → FAILED.
    env, app = make_env()
    v = _agent_validation('no-delete-guard', timeout=5)
    seen = []

    def deletes(e, ev):
        seen.append((e, ev))
        return ev.get_function() == 'delete_note'

    if closure:
        v.add_minefield_closure('no-delete', deletes)
    else:
        v.add_minefield('no-delete', deletes)
    env.schedule(v)
    _agent_call(env, 1.0, 'add_note', title='x')
    assert env.get_state() != Sigma.EnvironmentState.FAILED
    _agent_call(env, 1.0, 'delete_note', id=1)
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    reason = env.get_failure_reason()
    assert reason and 'no-delete-guard' in reason and 'no-delete' in reason, reason
    # The predicate got (env, CompletedEvent) for each AGENT event, in order.
    assert [ev.get_function() for _, ev in seen] == ['add_note', 'delete_note']
    assert all(e is env for e, _ in seen)
    assert all(isinstance(ev, Sigma.CompletedEvent) for _, ev in seen)
    # the offending event is in the log
    assert entries(env)[-1].get_function() == 'delete_note'


def test_agent_minefield_expires_after_timeout():
    # same, with the call at t=6: count 6 ≥ 5, the minefields were dropped → passes.
    env, app = make_env()
    v = _agent_validation('no-delete-guard', timeout=5)
    v.add_minefield('no-delete', lambda e, ev: ev.get_function() == 'delete_note')
    env.schedule(v)
    _agent_call(env, 1.0, 'add_note', title='x')
    assert _agent_call(env, 6.0, 'delete_note', id=1) is None
    assert env.get_state() != Sigma.EnvironmentState.FAILED
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_agent_validation_ignores_env_events():
    env, app = make_env()
    calls = []
    v = _agent_validation('agent-only')
    v.add_minefield('anything', lambda e, ev: calls.append(ev.get_event_id()) or True)
    env.schedule_events([v, action('add_note', 'env-add', delay=1, title='x', event_type=ENV),
                         action('add_note', 'user-add', delay=2, title='y', event_type=USER)])
    env.run()
    assert calls == []
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def _titled(title):
    return lambda e, ev: (ev.get_function() == 'add_note'
                          and py_obj(ev.get_args()).get('title') == title)


def test_agent_milestones_achieved():
    # validation.md §1.6 row 3: installed at t=1, timeout=10, actions at t=7 and t=9 → success.
    env, app = make_env()
    v = _agent_validation('agent-goals', delay=1, timeout=10)
    v.add_milestone('first', _titled('first'))
    v.add_milestone('second', _titled('second'))
    env.schedule(v)
    _agent_call(env, 7.0, 'add_note', title='first')
    _agent_call(env, 9.0, 'add_note', title='second')
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED
    assert env.get_failure_reason() is None


def test_agent_milestones_timeout_fails_before_evaluating():
    # validation.md §1.6 row 4: timeout=6, first action at t=7: count 6 ≥ 6 with open
    # milestones → FAILED; the milestones are not even evaluated.
    env, app = make_env()
    evaluated = []

    def first(e, ev):
        evaluated.append(ev.get_event_id())
        return True

    v = _agent_validation('agent-goals', delay=1, timeout=6)
    v.add_milestone('first', first)
    env.schedule(v)
    _agent_call(env, 7.0, 'add_note', title='first')
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    assert evaluated == []
    reason = env.get_failure_reason()
    assert reason and 'agent-goals' in reason and 'first' in reason, reason


def test_agent_milestone_within_window():
    # validation.md §1.6 row 5: start t=2, timeout=5, action at t=4 (count 2) → success.
    env, app = make_env()
    v = _agent_validation('window', delay=2, timeout=5)
    v.add_milestone('acted', lambda e, ev: True)
    env.schedule(v)
    _agent_call(env, 4.0, 'count_notes')
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_agent_milestone_too_late():
    # validation.md §1.6 row 5, second half: the same action at t=10 (count 8) → FAILED.
    env, app = make_env()
    v = _agent_validation('window', delay=2, timeout=5)
    v.add_milestone('acted', lambda e, ev: True)
    env.schedule(v)
    _agent_call(env, 10.0, 'count_notes')
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    assert 'window' in env.get_failure_reason()


def test_agent_open_milestone_fails_final_check():
    env, app = make_env()
    v = _agent_validation('pending-goal')
    v.add_milestone_closure('never-done', lambda e, ev: False)
    env.schedule(v)
    _agent_call(env, 1.0, 'add_note', title='x')
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.FAILED
    reason = env.get_failure_reason()
    assert reason and 'pending-goal' in reason and 'never-done' in reason, reason


def test_agent_validation_logs_nothing_and_releases_successors():
    env, app = make_env()
    v = _agent_validation('installer', delay=2)
    v.add_minefield('none', lambda e, ev: False)
    v.followed_by(action('add_note', 'after', delay=1, title='x'))
    env.schedule(v)
    env.run()
    assert summary(env) == [('after', 3.0)]
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


# --------------------------------------------------------------------------------------------
# Oracle events


def _oracle_env(oracle_mode):
    env, app = make_env()
    env.set_oracle_mode(oracle_mode)
    oracle = Sigma.OracleEvent.new('notes', 'add_note', jobj(title='expected'))
    oracle.set_event_id('oracle-1')
    oracle.set_delay(2)
    oracle.followed_by(action('count_notes', 'after', delay=1))
    env.schedule(oracle)
    env.run()
    return env, app, oracle


def test_oracle_dropped_outside_oracle_mode():
    env, app, oracle = _oracle_env(False)
    assert ids(env) == []
    assert app.notes == {}
    assert oracle.get_status() == Sigma.EventStatus.DROPPED


def test_oracle_runs_as_agent_in_oracle_mode():
    env, app, oracle = _oracle_env(True)
    assert summary(env) == [('oracle-1', 2.0), ('after', 3.0)]
    assert by_id(env, 'oracle-1').get_event_type() == AGENT
    assert app.notes == {1: {'title': 'expected', 'body': ''}}


# --------------------------------------------------------------------------------------------
# Signals and log sinks


def _three_events(env):
    env.schedule_events([action('add_note', 'e1', delay=1, title='1'),
                         action('add_note', 'e2', delay=2, title='2'),
                         action('add_note', 'e3', delay=3, title='3')])


def test_event_completed_signal_in_order():
    env, app = make_env()
    received = []
    handler_id = env.connect('event-completed',
                             lambda e, ev: received.append((e, ev.get_event_id(),
                                                            ev.get_event_time())))
    assert handler_id > 0
    _three_events(env)
    cond = Sigma.ConditionEvent.new('c', lambda e: True)
    cond.set_event_id('cond')
    cond.set_delay(2)
    env.schedule(cond)
    env.run_until(2.5)
    env.call_tool('notes', 'count_notes', jobj(), AGENT)
    env.run()
    assert [(i, t) for _, i, t in received] == summary(env)
    assert len(received) == 5
    got = [i for _, i, _ in received]
    assert got[:3] == ['e1', 'cond-CHECK_0', 'e2']
    assert re.fullmatch(r'AGENT-notes\.count_notes-\d{8}', got[3]), got[3]
    assert got[4] == 'e3'
    assert all(e is env for e, _, _ in received)


def test_pause_from_signal_handler():
    env, app = make_env()

    def on_completed(e, ev):
        if ev.get_event_id() == 'e2':
            e.pause()

    env.connect('event-completed', on_completed)
    _three_events(env)
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.PAUSED
    assert ids(env) == ['e1', 'e2']
    assert env.get_time() == 2.0
    env.resume()
    assert env.get_state() == Sigma.EnvironmentState.RUNNING
    env.run()
    assert ids(env) == ['e1', 'e2', 'e3']
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_stop_from_signal_handler():
    env, app = make_env()

    def on_completed(e, ev):
        if ev.get_event_id() == 'e1':
            e.stop()

    env.connect('event-completed', on_completed)
    _three_events(env)
    env.run()
    assert ids(env) == ['e1']
    assert env.get_state() == Sigma.EnvironmentState.STOPPED


def test_log_sink():
    env, app = make_env()
    log = env.get_log()
    seen = []
    sink_id = log.add_sink(lambda lg, ev: seen.append(ev.get_event_id()))
    _three_events(env)
    env.advance(2.0)
    log.remove_sink(sink_id)
    env.run()
    assert seen == ['e1', 'e2']
    assert ids(env) == ['e1', 'e2', 'e3']


def test_log_filter_and_json():
    env, app = make_env()
    _three_events(env)
    env.run_until(2.5)
    env.call_tool('notes', 'count_notes', jobj(), AGENT)
    env.run()
    adds = env.get_log().filter(int(ENV), 'notes', 'add_note')
    assert [e.get_event_id() for e in adds] == ['e1', 'e2', 'e3']
    agent = env.get_log().filter(int(AGENT), None, None)
    assert [e.get_function() for e in agent] == ['count_notes']
    # to_json: an array of completed-event objects; to_string: the same as NDJSON
    as_json = py(env.get_log().to_json())
    assert isinstance(as_json, list) and len(as_json) == 4
    assert as_json == [py(e.to_json()) for e in entries(env)]
    text = env.get_log().to_string()
    assert text.endswith('\n')
    assert [json.loads(line) for line in text.splitlines()] == as_json
    assert as_json[0]['event_id'] == 'e1'


# --------------------------------------------------------------------------------------------
# Determinism


def _deterministic_run():
    env, app = make_env(start=1_700_000_000.0)
    env.set_duration(3600.0)
    first = action('add_note', delay=10, title='first')             # auto ids throughout
    second = action('add_note', delay=5, title='second', body='b')
    first.followed_by(second)
    gate = Sigma.ConditionEvent.new('two-notes', lambda e: len(app.notes) >= 2)
    gate.followed_by(action('delete_note', id=1))
    check = Sigma.ValidationEvent.new()
    check.set_timeout(TIMEOUT_NONE)
    check.add_milestone('deleted', lambda e: 1 not in app.notes and len(app.notes) == 1)
    check.add_minefield('too-many', lambda e: len(app.notes) > 5)
    agent_check = Sigma.AgentValidationEvent.new()
    agent_check.add_minefield('no-explode', lambda e, ev: ev.get_function() == 'explode')
    env.schedule_events([first, gate, check, agent_check])
    env.run_until(1_700_000_030.0)
    env.call_tool('notes', 'add_note', jobj(title='agent'), AGENT)
    env.run()
    return env


def test_determinism():
    a = _deterministic_run()
    b = _deterministic_run()
    assert a.get_state() == Sigma.EnvironmentState.STOPPED, a.get_failure_reason()
    log_a = a.get_log().to_string()
    log_b = b.get_log().to_string()
    assert 'add_note' in log_a and 'delete_note' in log_a
    assert a.get_log().get_length() > 5
    assert log_a == log_b
    assert ids(a) == ids(b)
    assert all(not re.search(r'[0-9a-f]{8}-[0-9a-f]{4}-', i) for i in ids(a))  # no UUIDs
