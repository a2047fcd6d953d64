# SPDX-License-Identifier: LGPL-2.1-or-later
"""A Python plugin as a user would write one: the exact twin of tests/plugins/demo-plugin.c.

"plugin_add_contact_py": the agent must add Ada Lovelace to the contacts. Its oracle does.
"plugin_add_contact_wrong_py": the same scenario whose oracle adds someone else, so that its
oracle run fails validation with a rationale.
"""

import gi

gi.require_version('Sigma', '1')
from gi.repository import Sigma  # noqa: E402


@Sigma.scenario('plugin_add_contact_py', summary='Add Ada Lovelace to the contacts (Python plugin)',
                tags=['demo', 'contacts'])
class AddContact(Sigma.Scenario):
    oracle_last_name = 'Lovelace'

    def do_init_apps(self, env):
        env.add_app(Sigma.ContactsApp.new('ContactsApp'))

    def do_build_events(self, env):
        env.schedule(Sigma.oracle('ContactsApp', 'add_new_contact', first_name='Ada',
                                  last_name=self.oracle_last_name, email='ada@example.org',
                                  delay=30.0))

    def do_validate(self, env):
        found = env.get_app('ContactsApp').call('search_contacts', query='Ada Lovelace')
        if not isinstance(found, list) or len(found) != 1:
            return 'The contacts do not hold exactly one Ada Lovelace'
        return True


@Sigma.scenario('plugin_add_contact_wrong_py',
                summary='The same, with an oracle that adds the wrong person', tags=['demo', 'contacts'])
class AddWrongContact(AddContact):
    oracle_last_name = 'Byron'


class Plugin(Sigma.ScenarioPlugin):
    """Registers the scenarios above when the plugin is loaded."""
