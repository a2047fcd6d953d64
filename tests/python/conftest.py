# SPDX-License-Identifier: LGPL-2.1-or-later
"""pytest configuration for the Sigma GObject-Introspection tests.

The tests run against the *build tree*: meson sets GI_TYPELIB_PATH and LD_LIBRARY_PATH to the
build directory, so that ``gi.require_version('Sigma', '1')`` finds ``Sigma-1.typelib`` and
``libsigma-1.so`` there. By hand::

    GI_TYPELIB_PATH=_build LD_LIBRARY_PATH=_build /usr/bin/python3 -m pytest -v tests/python

Any problem loading the bindings stops the whole session with an explicit message instead of
a pile of import errors.
"""

import os
import sys



def _abort(message):
    # Raised at conftest import time: pytest reports it and exits with a non-zero status
    # (never 77, which meson would read as "skipped").
    typelib_path = os.environ.get('GI_TYPELIB_PATH', '<unset>')
    ld_path = os.environ.get('LD_LIBRARY_PATH', '<unset>')
    found = []
    for d in typelib_path.split(os.pathsep):
        if d and os.path.exists(os.path.join(d, 'Sigma-1.typelib')):
            found.append(os.path.join(d, 'Sigma-1.typelib'))
    raise RuntimeError(
        'Sigma GI tests cannot run: {}\n'
        '  python          = {}\n'
        '  GI_TYPELIB_PATH = {}\n'
        '  LD_LIBRARY_PATH = {}\n'
        '  Sigma-1.typelib found in GI_TYPELIB_PATH: {}\n'
        'Build the library with introspection enabled (ninja -C _build) and run with '
        'GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the build directory, using '
        '/usr/bin/python3 (which has python3-gi).'.format(
            message, sys.executable, typelib_path, ld_path, found or 'no'))


try:
    import gi
except ImportError as e:  # pragma: no cover - environment problem
    _abort('the "gi" module (PyGObject) is not importable: {}'.format(e))

try:
    gi.require_version('GLib', '2.0')
    gi.require_version('GObject', '2.0')
    gi.require_version('Json', '1.0')
except ValueError as e:  # pragma: no cover - environment problem
    _abort('a dependency typelib is missing: {}'.format(e))

# The overrides (gi.overrides.Sigma) come from the source tree, as the typelib comes from the
# build tree; an installed Sigma would have them in PyGObject's own overrides directory.
_overrides_dir = os.environ.get('SIGMA_OVERRIDES_DIR')
if _overrides_dir:
    import gi.overrides
    gi.overrides.__path__.insert(0, _overrides_dir)

try:
    gi.require_version('Sigma', '1')
except ValueError as e:
    _abort('gi.require_version("Sigma", "1") failed: {}'.format(e))

try:
    from gi.repository import Sigma  # noqa: E402
except ImportError as e:
    _abort('"from gi.repository import Sigma" failed (is libsigma-1.so in LD_LIBRARY_PATH?): '
           '{}'.format(e))


def pytest_report_header(config):
    from gi.repository import GLib, Json
    return [
        'PyGObject {} / GLib {}.{}.{} / json-glib {}.{}.{}'.format(
            gi.__version__, GLib.MAJOR_VERSION, GLib.MINOR_VERSION, GLib.MICRO_VERSION,
            Json.MAJOR_VERSION, Json.MINOR_VERSION, Json.MICRO_VERSION),
        'Sigma {} (GI_TYPELIB_PATH={})'.format(
            Sigma.get_version_string(), os.environ.get('GI_TYPELIB_PATH', '<unset>')),
    ]
