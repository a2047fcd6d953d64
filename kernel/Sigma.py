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
