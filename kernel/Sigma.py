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
import sys
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
        if properties:
            defaults = {name.replace('_', '-'): value for name, value in properties.items()}
            original_init = cls.__init__

            # Also runs when the registry creates the scenario from C (PyGObject calls
            # __init__ without arguments then): set what the caller did not pass.
            def __init__(self, *args, **kwargs):
                original_init(self, *args, **kwargs)
                given = {name.replace('_', '-') for name in kwargs}
                for name, value in defaults.items():
                    if name not in given:
                        self.set_property(name, value)

            cls.__init__ = __init__
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
    registered, failures = [], []
    for cls in classes:
        spec = getattr(cls, '__sigma_scenario__', None)
        if spec is None:
            failures.append('%s is not declared with @Sigma.scenario' % cls.__name__)
            continue
        where = location
        if where is None:
            try:
                where = inspect.getsourcefile(cls)
            except TypeError:
                where = None
        try:
            registry.register_full(spec.scenario_id, spec.summary, list(spec.tags), source,
                                   where, cls.__gtype__)
        except GLib.Error as error:
            failures.append(error.message)
        else:
            registered.append(spec.scenario_id)
    if failures:
        raise GLib.Error.new_literal(Sigma.error_quark(), '; '.join(failures),
                                     int(Sigma.Error.DUPLICATE_ID if all(
                                         'already' in f for f in failures) else Sigma.Error.FAILED))
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
