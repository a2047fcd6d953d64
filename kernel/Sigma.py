# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python idioms for Sigma, loaded by PyGObject as ``gi.overrides.Sigma``.

- Tool handlers take and return plain Python values (dicts, lists, str, numbers, None);
  they are converted to and from json-glib nodes.
- A Python exception raised by a tool handler becomes a failed tool call with the
  exception's type and message (``SIGMA_ERROR_TOOL_FAILED``), logged like any other failure.
  Without this, PyGObject would log the call as a success returning ``null``.
- ``Sigma.to_json_node`` / ``Sigma.from_json_node`` convert values by hand.
"""

import json

from gi.module import get_introspection_module
from gi.overrides import override
from gi.repository import GLib, Json

Sigma = get_introspection_module('Sigma')

__all__ = []


def to_json_node(value):
    """A Json.Node holding a Python value (Json.Node values pass through)."""
    if isinstance(value, Json.Node):
        return value
    return Json.from_string(json.dumps(value))


def from_json_node(node):
    """The Python value of a Json.Node (or of a Json.Object / Json.Array); None stays None."""
    if node is None:
        return None
    if isinstance(node, Json.Object):
        wrapper = Json.Node.new(Json.NodeType.OBJECT)
        wrapper.set_object(node)
        node = wrapper
    elif isinstance(node, Json.Array):
        wrapper = Json.Node.new(Json.NodeType.ARRAY)
        wrapper.set_array(node)
        node = wrapper
    return json.loads(Json.to_string(node, False))


__all__ += ['to_json_node', 'from_json_node']


def _tool_failure(exception):
    message = str(exception)
    text = '%s: %s' % (type(exception).__name__, message) if message else type(exception).__name__
    return GLib.Error.new_literal(Sigma.error_quark(), text, int(Sigma.Error.TOOL_FAILED))


class Tool(Sigma.Tool):

    def set_handler(self, handler):
        """Set the tool's implementation: ``handler(app, args)`` with ``args`` a dict of the
        validated arguments, returning a JSON-serialisable value. A ``GLib.Error`` it raises
        is the tool's error as is; any other exception becomes a TOOL_FAILED error."""

        def invoke(app, args):
            try:
                return to_json_node(handler(app, from_json_node(args)))
            except GLib.Error:
                raise
            except Exception as exception:  # the tool failed: log it as such
                raise _tool_failure(exception)

        Sigma.Tool.set_handler(self, invoke)


Tool = override(Tool)
__all__.append('Tool')


# ============================================================================================
# Authoring scenarios, apps and plugins in Python
#
# Everything below is sugar over the introspected API: a Python scenario is still a
# SigmaScenario subclass with do_init_apps / do_build_events / do_validate vfuncs, a Python
# tool is still a SigmaTool with typed parameters, and a plugin is still found by the C host
# through libpeas. See doc/python.md for the guide.

import inspect
import traceback
import typing

from gi.repository import GObject


def _python_failure(exception, what):
    """A GLib.Error (SIGMA_ERROR_FAILED) describing a Python exception raised by `what`,
    with the innermost frame of the traceback, so that the C caller can report it."""
    if isinstance(exception, GLib.Error):
        return exception
    frames = traceback.extract_tb(exception.__traceback__)
    where = ' (%s:%d)' % (frames[-1].filename, frames[-1].lineno) if frames else ''
    message = str(exception)
    text = '%s raised %s%s%s' % (what, type(exception).__name__,
                                 ': ' + message if message else '', where)
    return GLib.Error.new_literal(Sigma.error_quark(), text, int(Sigma.Error.FAILED))


# --------------------------------------------------------------------------------------------
# Scenarios


def _wrap_setup_vfunc(name, function):
    # do_init_apps / do_build_events: returning None means success; an exception becomes the
    # GError of the vfunc, naming the scenario class and the exception.
    def vfunc(self, env):
        try:
            result = function(self, env)
        except Exception as exception:
            raise _python_failure(exception, '%s.%s()' % (type(self).__name__, name))
        return True if result is None else bool(result)

    vfunc.__wrapped__ = function
    vfunc.__name__ = function.__name__
    vfunc.__doc__ = function.__doc__
    return vfunc


def _wrap_validate_vfunc(function):
    # do_validate may return a bool, a rationale string (a failure), a (passed, rationale)
    # pair, or None (a pass).
    def vfunc(self, env):
        try:
            result = function(self, env)
        except Exception as exception:
            raise _python_failure(exception, '%s.do_validate()' % type(self).__name__)
        if result is None:
            return True, 'The scenario was validated'
        if isinstance(result, str):
            return False, result
        if isinstance(result, tuple):
            passed, rationale = result
            return bool(passed), rationale
        return bool(result), None

    vfunc.__wrapped__ = function
    vfunc.__name__ = function.__name__
    vfunc.__doc__ = function.__doc__
    return vfunc


class Scenario(Sigma.Scenario):
    """Base class of Python scenarios.

    Override the vfuncs as methods:

    - ``do_init_apps(self, env)``: add the apps (``env.add_app(app)``) and load their state;
    - ``do_build_events(self, env)``: schedule the events (``env.schedule(event)``, see
      :func:`action`, :func:`oracle`, :func:`condition`, :func:`validation`);
    - ``do_validate(self, env)``: judge the finished run. Return ``True``/``False``, a
      rationale string (which means failure), a ``(passed, rationale)`` pair, or ``None``
      (a pass).

    ``do_init_apps`` and ``do_build_events`` need not return anything. An exception raised by
    any of them becomes the ``GLib.Error`` the C caller sees, naming the class and method.
    Settings (``seed``, ``start_time``, ``duration``, ``time_increment``, ``tags``, ``hints``)
    are GObject properties: set them in ``__init__`` through ``super().__init__(**props)``, or
    with :func:`scenario`'s ``properties``.

    Register the class with the :func:`scenario` decorator.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Runs before PyGObject registers the GType and hooks the do_* vfuncs, so that the
        # wrappers are what gets hooked.
        for name in ('do_init_apps', 'do_build_events'):
            function = cls.__dict__.get(name)
            if function is not None and not hasattr(function, '__wrapped__'):
                setattr(cls, name, _wrap_setup_vfunc(name, function))
        function = cls.__dict__.get('do_validate')
        if function is not None and not hasattr(function, '__wrapped__'):
            cls.do_validate = _wrap_validate_vfunc(function)


Scenario = override(Scenario)
__all__.append('Scenario')


class ScenarioSpec(typing.NamedTuple):
    """What :func:`scenario` records of a class: its id, summary, tags and the property
    values every instance is created with."""
    scenario_id: str
    summary: typing.Optional[str]
    tags: typing.Tuple[str, ...]
    properties: typing.Dict[str, typing.Any]


# module name → the @scenario classes it defined, in definition order
_SCENARIOS = {}


def scenario(scenario_id, summary=None, tags=(), **properties):
    """Class decorator: declare a :class:`Scenario` subclass as the scenario ``scenario_id``.

    ``summary`` defaults to the first line of the class docstring; ``tags`` is a sequence of
    strings; other keyword arguments are scenario properties that instances get (``seed=7``,
    ``duration=3600``, ``start_time=...``; underscores stand for dashes).

    The class is recorded for its module: a plugin's :class:`ScenarioPlugin` registers every
    recorded class of its module, and :func:`register_scenarios` registers them from any
    program::

        @Sigma.scenario('add_contact', summary='Add Ada to the contacts', tags=['demo'])
        class AddContact(Sigma.Scenario):
            def do_init_apps(self, env):
                env.add_app(Sigma.ContactsApp.new('ContactsApp'))
    """
    if not isinstance(scenario_id, str) or not scenario_id:
        raise ValueError('a scenario id is a non-empty string, not %r' % (scenario_id,))
    if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
        raise TypeError('tags are a sequence of strings, not %r' % (tags,))

    def decorate(cls):
        if not (isinstance(cls, type) and issubclass(cls, Sigma.Scenario)):
            raise TypeError('@Sigma.scenario(%r) decorates a subclass of Sigma.Scenario, not %r'
                            % (scenario_id, cls))
        doc = inspect.getdoc(cls) if cls.__doc__ else None
        first_line = doc.strip().splitlines()[0] if doc else None
        spec = ScenarioSpec(scenario_id, summary if summary is not None else first_line,
                            tuple(tags), dict(properties))
        cls.__sigma_scenario__ = spec
        recorded = _SCENARIOS.setdefault(cls.__module__, [])
        if all(other.__sigma_scenario__.scenario_id != scenario_id for other in recorded):
            recorded.append(cls)
        else:
            raise ValueError('scenario id %r is declared twice in module %s'
                             % (scenario_id, cls.__module__))
        return cls

    return decorate


def scenarios(module=None):
    """The classes declared with :func:`scenario`: those of ``module`` (a module or its
    name), or of every module when it is None."""
    if module is None:
        return [cls for classes in _SCENARIOS.values() for cls in classes]
    name = module if isinstance(module, str) else module.__name__
    return list(_SCENARIOS.get(name, ()))


def _create_with_properties(scenario_id, cls):
    try:
        return cls(scenario_id=scenario_id, **cls.__sigma_scenario__.properties)
    except Exception as exception:
        raise _python_failure(exception, 'creating %s' % cls.__name__)


def register_scenarios(registry, classes=None, source=None, location=None):
    """Register scenario classes in a ``Sigma.ScenarioRegistry``.

    ``classes`` is a sequence of :func:`scenario` classes, a module (or module name) whose
    classes to register, or None for the classes of the calling module. ``source`` defaults
    to ``Sigma.ScenarioSource.APPLICATION`` and ``location`` to the file of each class.

    Every class is tried; if some fail (an id already registered, ...), one ``GLib.Error``
    naming each of them is raised after the others are registered. Returns the ids
    registered.
    """
    if classes is None:
        caller = inspect.currentframe().f_back
        classes = scenarios(caller.f_globals.get('__name__'))
    elif isinstance(classes, str) or inspect.ismodule(classes):
        classes = scenarios(classes)
    if source is None:
        source = Sigma.ScenarioSource.APPLICATION
    registered, failures, codes = [], [], set()
    for cls in classes:
        spec = getattr(cls, '__sigma_scenario__', None)
        if spec is None:
            failures.append('%s is not declared with @Sigma.scenario' % cls.__name__)
            codes.add(int(Sigma.Error.INVALID_ARGUMENT))
            continue
        where = location
        if where is None:
            try:
                where = inspect.getsourcefile(cls)
            except TypeError:
                where = None
        try:
            if spec.properties:
                # Construct properties are set after instance init, where PyGObject runs
                # __init__ for an object created from C: a factory passes them at creation.
                registry.register_factory(spec.scenario_id, spec.summary, list(spec.tags),
                                          source, where, _create_with_properties, cls)
            else:
                registry.register_full(spec.scenario_id, spec.summary, list(spec.tags), source,
                                       where, cls.__gtype__)
        except GLib.Error as error:
            failures.append(error.message)
            codes.add(error.code if error.domain == GLib.quark_to_string(Sigma.error_quark())
                      else int(Sigma.Error.FAILED))
        else:
            registered.append(spec.scenario_id)
    if failures:
        # one code if they all agree (DUPLICATE_ID for ids already taken), else FAILED
        code = codes.pop() if len(codes) == 1 else int(Sigma.Error.FAILED)
        raise GLib.Error.new_literal(Sigma.error_quark(), '; '.join(failures), code)
    return registered


__all__ += ['ScenarioSpec', 'scenario', 'scenarios', 'register_scenarios']


class ScenarioPlugin(GObject.Object, Sigma.ScenarioProvider):
    """The extension of a Python plugin: subclass it once in the plugin module.

    The plugin loader (``sigma_plugins_load_folder()``, ``sigma list``, ``sigma run``) imports
    the module a ``.plugin`` description names, creates the module's ScenarioPlugin subclass
    and calls its ``do_register_scenarios``, which registers every :func:`scenario` class of
    the module with source ``Sigma.ScenarioSource.PYTHON_PLUGIN`` and the description file as
    location::

        class Plugin(Sigma.ScenarioPlugin):
            pass

    Override ``scenario_classes()`` to register classes from elsewhere.
    """
    __gtype_name__ = 'SigmaPyScenarioPlugin'
    # PyGObject registers no GType for classes of gi.overrides modules (they stand for the
    # introspected type they override); this one is a new type implementing the interface.
    __module__ = 'gi.repository.Sigma'

    def scenario_classes(self):
        """The classes to register: the :func:`scenario` classes of the subclass's module."""
        return scenarios(type(self).__module__)

    def do_register_scenarios(self, registry, location):
        try:
            classes = self.scenario_classes()
            if not classes:
                raise GLib.Error.new_literal(
                    Sigma.error_quark(), 'module %s declares no @Sigma.scenario class'
                    % type(self).__module__, int(Sigma.Error.INVALID_DATA))
            register_scenarios(registry, classes, Sigma.ScenarioSource.PYTHON_PLUGIN, location)
        except Exception as exception:
            raise _python_failure(exception, '%s.register_scenarios()' % type(self).__name__)
        return True


__all__.append('ScenarioPlugin')


# --------------------------------------------------------------------------------------------
# Events


def _link(event, event_id, delay, depends_on, followed_by):
    if event_id is not None:
        event.set_event_id(event_id)
    if delay is not None:
        event.set_delay(float(delay))
    if isinstance(depends_on, Sigma.Event):
        depends_on = (depends_on,)
    for parent in depends_on:
        event.depends_on(parent)
    if isinstance(followed_by, Sigma.Event):
        followed_by = (followed_by,)
    for child in followed_by:
        event.followed_by(child)
    return event


def _args_object(args, kwargs):
    values = dict(args or {})
    values.update(kwargs)
    return to_json_node(values).get_object()


def action(app, function, args=None, *, event_type=None, event_id=None, delay=None,
           depends_on=(), followed_by=(), **kwargs):
    """A ``Sigma.ActionEvent`` calling ``app``'s tool ``function``.

    The tool arguments are ``args`` (a dict) updated with the other keyword arguments;
    arguments named like the options below go in ``args``. ``event_type`` defaults to
    ``Sigma.EventType.ENV`` (``USER`` for what the user does). ``delay`` is in simulated
    seconds after the events it ``depends_on`` (an event or a sequence of events), or after
    the start; ``followed_by`` links events that run after this one.
    """
    if event_type is None:
        event_type = Sigma.EventType.ENV
    event = Sigma.ActionEvent.new(event_type, app, function, _args_object(args, kwargs))
    return _link(event, event_id, delay, depends_on, followed_by)


def oracle(app, function, args=None, *, event_id=None, delay=None, depends_on=(),
           followed_by=(), **kwargs):
    """A ``Sigma.OracleEvent``: what the agent is expected to do (run in oracle mode, the
    judge's reference otherwise). Arguments and options as :func:`action`."""
    event = Sigma.OracleEvent.new(app, function, _args_object(args, kwargs))
    return _link(event, event_id, delay, depends_on, followed_by)


def condition(predicate, *, name=None, every_ticks=None, timeout=None, event_id=None,
              delay=None, depends_on=(), followed_by=()):
    """A ``Sigma.ConditionEvent`` polling ``predicate(env)`` every ``every_ticks`` ticks
    until it is true (its ``followed_by`` events then run) or ``timeout`` ticks passed.
    ``name`` (logged as the function of each check) defaults to the predicate's name. An
    exception raised by the predicate counts as false."""
    event = Sigma.ConditionEvent.new(name or getattr(predicate, '__name__', None), predicate)
    if every_ticks is not None:
        event.set_every_ticks(every_ticks)
    if timeout is not None:
        event.set_timeout(timeout)
    return _link(event, event_id, delay, depends_on, followed_by)


def _named_checks(checks):
    if isinstance(checks, dict):
        return list(checks.items())
    if callable(checks):
        checks = (checks,)
    return [(getattr(check, '__name__', 'check_%d' % i), check) for i, check in enumerate(checks)]


def validation(milestones=(), minefields=(), *, every_ticks=None, timeout=None,
               event_id=None, delay=None, depends_on=(), followed_by=()):
    """A ``Sigma.ValidationEvent`` over the environment state.

    ``milestones`` must all become true and ``minefields`` must never be true, checked every
    ``every_ticks`` ticks for ``timeout`` ticks. Each is a function ``check(env) -> bool``
    named by its ``__name__``, or a dict name → function. A milestone that times out or a
    minefield that triggers fails the run."""
    event = Sigma.ValidationEvent.new()
    for name, check in _named_checks(milestones):
        event.add_milestone(name, check)
    for name, check in _named_checks(minefields):
        event.add_minefield(name, check)
    if every_ticks is not None:
        event.set_every_ticks(every_ticks)
    if timeout is not None:
        event.set_timeout(timeout)
    return _link(event, event_id, delay, depends_on, followed_by)


def agent_validation(milestones=(), minefields=(), *, timeout=None, event_id=None,
                     delay=None, depends_on=(), followed_by=()):
    """A ``Sigma.AgentValidationEvent``: ``check(env, event) -> bool`` functions (or a dict
    name → function) over each AGENT event as it is logged; milestones must each match one
    within ``timeout`` seconds, minefields must match none."""
    event = Sigma.AgentValidationEvent.new()
    for name, check in _named_checks(milestones):
        event.add_milestone(name, check)
    for name, check in _named_checks(minefields):
        event.add_minefield(name, check)
    if timeout is not None:
        event.set_timeout(timeout)
    return _link(event, event_id, delay, depends_on, followed_by)


def stop(*, event_id=None, delay=None, depends_on=()):
    """A ``Sigma.StopEvent``: the run ends when it fires."""
    return _link(Sigma.StopEvent.new(), event_id, delay, depends_on, ())


__all__ += ['action', 'oracle', 'condition', 'validation', 'agent_validation', 'stop']


# --------------------------------------------------------------------------------------------
# Apps and tools written in Python

_VALUE_TYPES = {
    str: Sigma.ValueType.STRING,
    int: Sigma.ValueType.INTEGER,
    float: Sigma.ValueType.NUMBER,
    bool: Sigma.ValueType.BOOLEAN,
    list: Sigma.ValueType.ARRAY,
    tuple: Sigma.ValueType.ARRAY,
    dict: Sigma.ValueType.OBJECT,
}


def _value_type(annotation, where):
    """(value type, element type, nullable) of a parameter annotation."""
    if annotation is inspect.Parameter.empty or annotation is typing.Any:
        return Sigma.ValueType.ANY, None, False
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Union:
        others = [a for a in arguments if a is not type(None)]
        if len(others) == 1 and len(arguments) == 2:
            value_type, element_type, _ = _value_type(others[0], where)
            return value_type, element_type, True
        raise TypeError('%s: only Optional[X] unions are tool parameter types, not %r'
                        % (where, annotation))
    if origin in (list, tuple):
        element_type = None
        if arguments and arguments[0] is not Ellipsis:
            element_type = _value_type(arguments[0], where)[0]
        return Sigma.ValueType.ARRAY, element_type, False
    if origin is dict:
        return Sigma.ValueType.OBJECT, None, False
    if annotation in _VALUE_TYPES:
        return _VALUE_TYPES[annotation], None, False
    raise TypeError('%s: %r is not a tool parameter type (str, int, float, bool, list, dict, '
                    'Optional[...], Any)' % (where, annotation))


def _docstring_sections(doc):
    """(summary, {parameter: description}, returns) of a Google-style docstring."""
    summary_lines, params, returns = [], {}, []
    section, current = 'summary', None
    for raw in inspect.cleandoc(doc or '').splitlines():
        line = raw.strip()
        header = line.rstrip(':').lower()
        if line.endswith(':') and header in ('args', 'arguments', 'parameters', 'params'):
            section = 'params'
            continue
        if line.endswith(':') and header in ('returns', 'return'):
            section = 'returns'
            continue
        if line.endswith(':') and header in ('raises', 'examples', 'example', 'note', 'notes'):
            section = 'other'
            continue
        if section == 'summary':
            if not line and summary_lines:
                section = 'other'
            elif line:
                summary_lines.append(line)
        elif section == 'params' and line:
            name, sep, text = line.partition(':')
            name = name.split('(')[0].strip()
            if sep and name.isidentifier() and not raw.startswith((' ' * 8, '\t\t')):
                current = name
                params[current] = text.strip()
            elif current is not None:
                params[current] = (params[current] + ' ' + line).strip()
        elif section == 'returns' and line:
            returns.append(line)
    return ' '.join(summary_lines), params, ' '.join(returns) or None


class ToolDeclaration:
    """What :func:`tool` records of a method; :meth:`make_tool` builds the ``Sigma.Tool``."""

    def __init__(self, function, name, description, roles, operation, params, returns):
        self.function = function
        self.name = name
        where = '%s()' % function.__qualname__
        doc_summary, doc_params, doc_returns = _docstring_sections(function.__doc__)
        self.description = description or doc_summary
        if not self.description:
            raise ValueError('%s: a tool needs a description (the description= argument or '
                             'a docstring)' % where)
        self.roles = roles
        self.operation = operation
        self.returns = returns if returns is not None else doc_returns
        hints = typing.get_type_hints(function)
        self.parameters = []
        for index, parameter in enumerate(inspect.signature(function).parameters.values()):
            if index == 0:
                continue  # the app
            if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                raise TypeError('%s: tool parameters are named (no *args, **kwargs or '
                                'positional-only parameters): %s' % (where, parameter.name))
            annotation = hints.get(parameter.name, inspect.Parameter.empty)
            value_type, element_type, nullable = _value_type(
                annotation, '%s parameter %s' % (where, parameter.name))
            text = (params or {}).get(parameter.name) or doc_params.get(parameter.name) or ''
            self.parameters.append((parameter.name, value_type, text, parameter.default,
                                    element_type, nullable))
        unknown = set(params or {}) - {p[0] for p in self.parameters}
        if unknown:
            raise ValueError('%s: params= describes parameters it does not have: %s'
                             % (where, ', '.join(sorted(unknown))))

    def make_tool(self, method):
        """A new ``Sigma.Tool`` calling ``method(app, **arguments)``."""
        tool = Sigma.Tool.new(self.name, self.description, self.roles, self.operation)
        for name, value_type, text, default, element_type, nullable in self.parameters:
            if default is inspect.Parameter.empty:
                tool.add_parameter(name, value_type, text)
            else:
                tool.add_optional_parameter(name, value_type, text, to_json_node(default))
            if element_type is not None:
                tool.set_parameter_element_type(name, element_type)
            if nullable:
                tool.set_parameter_nullable(name, True)
        if self.returns:
            tool.set_return_description(self.returns)
        tool.set_handler(lambda app, arguments: method(app, **arguments))
        return tool


def tool(description=None, *, role=None, operation=None, name=None, params=None,
         returns=None):
    """Method decorator: declare a method of an :class:`App` subclass as one of its tools.

    The tool's parameters are the method's (after ``self``), typed by their annotations
    (``str``, ``int``, ``float``, ``bool``, ``list``/``list[str]``, ``dict``,
    ``Optional[...]`` for nullable, none or ``Any`` for any JSON value); a parameter with a
    default is optional. ``description`` defaults to the docstring's first paragraph, the
    parameters' descriptions come from ``params`` (a dict) or the docstring's ``Args:``
    section, and the result's from ``returns`` or its ``Returns:`` section. ``role`` is a
    ``Sigma.ToolRole`` (default ``AGENT``), ``operation`` a ``Sigma.ToolOperation`` (default
    ``READ``). The method receives the validated arguments as keyword arguments and returns
    a JSON-serialisable value; an exception it raises is the tool's failure. Usable bare::

        class NotesApp(Sigma.App):
            @Sigma.tool(role=Sigma.ToolRole.AGENT | Sigma.ToolRole.USER,
                        operation=Sigma.ToolOperation.WRITE)
            def add_note(self, title: str, body: str = '') -> dict:
                '''Add a note.

                Args:
                    title: the title of the note
                    body: the text of the note
                '''
    """
    if callable(description):       # @Sigma.tool without arguments
        return tool()(description)

    def decorate(function):
        function.__sigma_tool__ = ToolDeclaration(
            function, name or function.__name__, description,
            Sigma.ToolRole.AGENT if role is None else role,
            Sigma.ToolOperation.READ if operation is None else operation, params, returns)
        return function

    return decorate


class App(Sigma.App):
    """Base class of apps written in Python.

    Declare the tools as methods decorated with :func:`tool`; every instance gets them,
    with their typed parameters, in its JSON schemas, validated and invocable by name like
    the tools of the C apps. The app's name defaults to the class attribute ``app_name``,
    else the class name. Override the ``do_get_state``/``do_load_state``/``do_reset`` vfuncs
    to give the app an ARE ``app_state``.
    """

    def __init__(self, *args, **kwargs):
        if not args and 'name' not in kwargs:
            kwargs['name'] = getattr(type(self), 'app_name', None) or type(self).__name__
        super().__init__(*args, **kwargs)
        for declaration in tool_declarations(type(self)):
            # the method as the class defines it now, so that subclasses override tools
            method = getattr(type(self), declaration.function.__name__)
            self.add_tool(declaration.make_tool(method))

    def invoke(self, tool_name, args=None, **kwargs):
        """Run a tool directly (not logged), as ``sigma_app_invoke()``: the arguments are a
        ``Json.Object``, a dict, or keyword arguments. Returns the result as a ``Json.Node``;
        a failure raises ``GLib.Error``."""
        if not isinstance(args, Json.Object):
            args = _args_object(args, kwargs)
        return Sigma.App.invoke(self, tool_name, args)

    def call(self, tool_name, args=None, **kwargs):
        """:meth:`invoke`, returning the result as a Python value."""
        return from_json_node(self.invoke(tool_name, args, **kwargs))


App = override(App)


def tool_declarations(cls):
    """The :func:`tool` declarations of an app class and its bases, in definition order,
    bases first; a subclass's declaration of a tool name replaces its base's."""
    found = {}
    for klass in reversed(cls.__mro__):
        for value in vars(klass).values():
            declaration = getattr(value, '__sigma_tool__', None)
            if isinstance(declaration, ToolDeclaration):
                found[declaration.name] = declaration
    return list(found.values())


__all__ += ['ToolDeclaration', 'tool', 'App', 'tool_declarations']
