# SPDX-License-Identifier: LGPL-2.1-or-later
"""A complete Python scenario plugin: an app with its own tools, events linked by
dependencies and delays, a condition, milestones and a minefield, and a judge.

The user keeps a notes app. Five seconds into the run the environment adds a shopping list;
the agent is expected to tag it "shopping" (the oracle does, ten seconds later). As soon as
a note carries that tag the environment adds a reminder two seconds later. A validation
watches the run: the shopping list must get tagged (milestone) and must never be deleted
(minefield).

Run it with ``sigma run python_notes_tagging --oracle`` once this folder is on
SIGMA_PLUGIN_PATH (or installed in Sigma's plugin folder).
"""

import typing

import gi

gi.require_version('Sigma', '1')
from gi.repository import Sigma  # noqa: E402


class NotesApp(Sigma.App):
    """Notes with a title, a body and tags."""
    app_name = 'NotesApp'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.notes = {}
        self.next_id = 1

    @Sigma.tool(role=Sigma.ToolRole.AGENT | Sigma.ToolRole.USER | Sigma.ToolRole.ENV,
                operation=Sigma.ToolOperation.WRITE)
    def add_note(self, title: str, body: str = '') -> dict:
        """Add a note.

        Args:
            title: the title of the note
            body: the text of the note

        Returns:
            the new note, with its id
        """
        note = {'id': self.next_id, 'title': title, 'body': body, 'tags': []}
        self.notes[note['id']] = note
        self.next_id += 1
        return note

    @Sigma.tool(role=Sigma.ToolRole.AGENT | Sigma.ToolRole.USER)
    def list_notes(self, tag: typing.Optional[str] = None) -> list:
        """List the notes, or those that carry a tag.

        Args:
            tag: only the notes with this tag (null: all)
        """
        return [note for note in self.notes.values() if tag is None or tag in note['tags']]

    @Sigma.tool(role=Sigma.ToolRole.AGENT | Sigma.ToolRole.USER,
                operation=Sigma.ToolOperation.WRITE)
    def tag_note(self, note_id: int, tags: typing.List[str]) -> dict:
        """Add tags to a note.

        Args:
            note_id: the id of the note
            tags: the tags to add
        """
        note = self._note(note_id)
        note['tags'] += [tag for tag in tags if tag not in note['tags']]
        return note

    @Sigma.tool(role=Sigma.ToolRole.AGENT | Sigma.ToolRole.USER,
                operation=Sigma.ToolOperation.WRITE)
    def delete_note(self, note_id: int) -> int:
        """Delete a note.

        Args:
            note_id: the id of the note

        Returns:
            the id of the deleted note
        """
        self._note(note_id)
        del self.notes[note_id]
        return note_id

    def _note(self, note_id):
        if note_id not in self.notes:
            raise KeyError('no note with id %d' % note_id)   # the tool call fails with this
        return self.notes[note_id]

    # the app's state, as ARE's app_state
    def do_get_state(self):
        return Sigma.to_json_node({'notes': list(self.notes.values()), 'next_id': self.next_id})

    def do_reset(self):
        self.notes = {}
        self.next_id = 1


def groceries_tagged(env):
    """Milestone and condition: some note carries the "shopping" tag."""
    return bool(env.get_app('NotesApp').call('list_notes', tag='shopping'))


def groceries_deleted(env):
    """Minefield: the shopping list is gone."""
    return all(note['title'] != 'Groceries' for note in env.get_app('NotesApp').call('list_notes'))


@Sigma.scenario('python_notes_tagging', tags=['example', 'python'], duration=120.0)
class NotesTagging(Sigma.Scenario):
    """Tag the shopping list; a reminder follows (a Python app and scenario)"""

    def do_init_apps(self, env):
        env.add_app(NotesApp())

    def do_build_events(self, env):
        groceries = Sigma.action('NotesApp', 'add_note', title='Groceries', body='milk, eggs',
                                 event_id='groceries', delay=5)
        tag = Sigma.oracle('NotesApp', 'tag_note', note_id=1, tags=['shopping'],
                           event_id='tag-groceries', delay=10, depends_on=groceries)
        reminder = Sigma.action('NotesApp', 'add_note', title='Reminder', body='buy milk',
                                event_id='reminder', delay=2)
        tagged = Sigma.condition(groceries_tagged, event_id='wait-for-tag', timeout=60,
                                 depends_on=groceries, followed_by=reminder)
        watch = Sigma.validation(milestones=[groceries_tagged], minefields=[groceries_deleted],
                                 event_id='watch-groceries', timeout=60, depends_on=groceries)
        for event in (groceries, tag, tagged, reminder, watch):
            env.schedule(event)

    def do_validate(self, env):
        if env.get_failure_reason() is not None:
            return False, env.get_failure_reason()
        notes = env.get_app('NotesApp').call('list_notes')
        titles = [note['title'] for note in notes]
        if titles != ['Groceries', 'Reminder']:
            return False, 'Expected the shopping list and a reminder, found %s' % titles
        if notes[0]['tags'] != ['shopping']:
            return False, 'The shopping list is not tagged "shopping"'
        return True, 'The shopping list was tagged and the reminder followed'


class Plugin(Sigma.ScenarioPlugin):
    """Registers python_notes_tagging."""
