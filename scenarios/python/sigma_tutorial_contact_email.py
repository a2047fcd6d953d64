# SPDX-License-Identifier: LGPL-2.1-or-later
"""A built-in scenario written in Python: "tutorial_contact_email_py".

This is the exact twin of the built-in scenario "tutorial_contact_email" (written in C, in
scenarios/builtin/sigma-builtin-tutorial-contact-email.c), ARE's first tutorial: a scenario
with apps. The user asks the agent to email a contact that they name; the agent finds her
address in Contacts, sends the email and reports back. A near-namesake in the contacts is
the trap.

Both scenarios have the same apps and app state, the same events and the same settings, and
judge a run the same way: for any agent, their event logs are byte for byte the same
(tests/plugins/test_python_builtin_twin.py checks it). Copy this file to start a scenario
that uses Sigma's own apps.

Run it with ``sigma run tutorial_contact_email_py --oracle`` once this folder is on
SIGMA_PLUGIN_PATH (or installed in Sigma's plugin folder).
"""

import gi

gi.require_version('Sigma', '1')
from gi.repository import Sigma  # noqa: E402

START_TIME = 1728896400.0           # Monday 2024-10-14 09:00:00 UTC
LEA_EMAIL = 'lea.fontaine@atelier-fontaine.fr'
USER_EMAIL = 'nadia.rahman@northwind.example'

TAGS = ['tutorial', 'contacts', 'email']
HINTS = [
    'Look the person up in Contacts before writing: two contacts have similar names.',
    'Send one email to the person the user named, saying what the user asked, then tell '
    'the user it is done.',
]


# ------------------------------------------------------------------------------------------
# The apps' initial state, as an ARE export writes it (every member the apps read is given).

def contact(contact_id, first_name, last_name, gender, age, job, city, phone, email):
    """One entry of the Contacts app's state."""
    return {
        'first_name': first_name, 'last_name': last_name, 'contact_id': contact_id,
        'is_user': False, 'gender': gender, 'age': age, 'nationality': None,
        'city_living': city, 'country': None, 'status': 'Employed', 'job': job,
        'description': None, 'phone': phone, 'email': email, 'address': None,
    }


def email(email_id, sender, recipient, subject, content, timestamp):
    """One email of a folder of the Emails app's state."""
    return {
        'sender': sender, 'recipients': [recipient], 'subject': subject, 'content': content,
        'email_id': email_id, 'parent_id': None, 'cc': [], 'attachments': {},
        'timestamp': timestamp, 'is_read': True,
    }


def folder(name, emails=()):
    return {'folder_name': name, 'emails': list(emails)}


CONTACTS = [
    contact('c-nadia', 'Nadia', 'Rahman', 'Female', 34, 'Product manager', 'Lisbon',
            '+351 912 000 101', USER_EMAIL),
    contact('c-lea', 'Léa', 'Fontaine', 'Female', 31, 'Interior designer', 'Lisbon',
            '+351 912 000 202', LEA_EMAIL),
    contact('c-leo', 'Léo', 'Fontana', 'Male', 45, 'Photographer', 'Porto',
            '+351 912 000 303', 'leo.fontana@gmail.com'),      # the trap
    contact('c-marcus', 'Marcus', 'Chen', 'Male', 39, 'Finance lead', 'Lisbon',
            '+351 912 000 404', 'marcus.chen@northwind.example'),
    contact('c-priya', 'Priya', 'Natarajan', 'Female', 42, 'CFO', 'London',
            '+44 7700 900 505', 'priya.natarajan@northwind.example'),
]

CONTACTS_STATE = {
    'contacts': {c['contact_id']: c for c in CONTACTS},
    'view_limit': 10,
}

EMAILS_STATE = {
    'user_email': USER_EMAIL,
    'view_limit': 5,
    'folders': {
        'INBOX': folder('INBOX', [
            email('e-coffee', LEA_EMAIL, USER_EMAIL, 'Coffee on Monday?',
                  'Hi Nadia, shall we meet at Café Lisboa at 10:30 on Monday to go through the '
                  'showroom plans? Léa', 1728630000.0),
            email('e-invoice', 'billing@cloudhost.example', USER_EMAIL, 'Your October invoice',
                  'Your invoice of 48.00 EUR is available in your account.', 1728543600.0),
        ]),
        'SENT': folder('SENT'),
        'DRAFT': folder('DRAFT'),
        'TRASH': folder('TRASH'),
    },
}


# ------------------------------------------------------------------------------------------
# Reading the finished run's log

def agent_calls(env, app, function=None):
    """The agent's calls of app.function (any function when None) that succeeded, in log
    order."""
    events = env.get_log().filter(Sigma.EventType.AGENT, app, function)
    return [event for event in events if not event.is_failure()]


def arguments(event):
    """The arguments of a logged call, as a dict."""
    return Sigma.from_json_node(event.get_args()) or {}


def addresses(args, name):
    """The addresses of a recipients-like argument: the strings of a list, or a lone
    string."""
    value = args.get(name)
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return [value] if isinstance(value, str) else []


def same_address(a, b):
    """Email addresses compare ignoring the case of ASCII letters only (as the C twin's
    g_ascii_strcasecmp)."""
    return a.encode().lower() == b.encode().lower()


# ------------------------------------------------------------------------------------------
# The scenario

@Sigma.scenario('tutorial_contact_email_py',
                summary='Tutorial 1: email a contact the user names (Contacts, Emails; Python)',
                tags=TAGS,
                start_time=START_TIME, duration=3600.0, time_increment=1.0, seed=1,
                hints=HINTS)
class ContactEmail(Sigma.Scenario):
    """The user asks the agent to email Léa Fontaine that they are running late."""

    def __init__(self, **properties):
        # the registry's tags (above) are what `sigma list` shows; the scenario carries them
        # too, as its "tags" property
        super().__init__(tags=TAGS, **properties)

    def do_init_apps(self, env):
        apps = [
            (Sigma.AgentUserInterface.new('AgentUserInterface'), None),
            (Sigma.SystemApp.new('SystemApp'), None),
            (Sigma.ContactsApp.new('Contacts'), CONTACTS_STATE),
            (Sigma.EmailApp.new('Emails'), EMAILS_STATE),
        ]
        for app, state in apps:
            if state is not None:
                app.load_state(Sigma.to_json_node(state))
            env.add_app(app)

    def do_build_events(self, env):
        # The user's message starts the run; each oracle event (what a perfect agent does)
        # follows the previous one after a delay in simulated seconds.
        task = Sigma.action('AgentUserInterface', 'send_message_to_agent',
                            event_type=Sigma.EventType.USER, event_id='user_task', delay=0,
                            content="Could you email Léa Fontaine and tell her I'm running 15 "
                                    "minutes late for our 10:30 coffee at Café Lisboa? Thanks!")
        search = Sigma.oracle('Contacts', 'search_contacts', query='Léa Fontaine',
                              event_id='oracle_search_contact', depends_on=task, delay=5)
        send = Sigma.oracle('Emails', 'send_email',
                            recipients=[LEA_EMAIL],
                            subject='Running 15 minutes late',
                            content="Hi Léa, I'm running 15 minutes late for our 10:30 coffee "
                                    "at Café Lisboa. See you soon! Nadia",
                            event_id='oracle_send_email', depends_on=search, delay=10)
        reply = Sigma.oracle('AgentUserInterface', 'send_message_to_user',
                             content='Done: I emailed Léa Fontaine (%s) that you are 15 '
                                     'minutes late.' % LEA_EMAIL,
                             event_id='oracle_reply', depends_on=send, delay=5)
        env.schedule_events([task, search, send, reply])

    def do_validate(self, env):
        # every email the agent wrote, and to whom
        found, good = [], None
        for event in agent_calls(env, 'Emails'):
            function = event.get_function()
            if function not in ('send_email', 'forward_email', 'reply_to_email'):
                continue
            args = arguments(event)
            to = addresses(args, 'recipients') + addresses(args, 'cc')
            found.append('%s to %s' % (function, ', '.join(to) or 'nobody'))
            if function == 'send_email' and len(to) == 1 and same_address(to[0], LEA_EMAIL):
                good = args

        if len(found) != 1 or good is None:
            sent = '; '.join(found) or 'no email'
            return False, ('Expected exactly one email, sent with send_email to Léa Fontaine '
                           '<%s> only; the agent sent %s' % (LEA_EMAIL, sent))
        # send_email's content defaults to "", and the log holds the call's arguments with
        # their defaults
        content = good.get('content', '')
        if '15' not in content.casefold():
            return False, ('The email to Léa Fontaine must say the user is 15 minutes late; '
                           'its content was "%s"' % content)
        if not agent_calls(env, 'AgentUserInterface', 'send_message_to_user'):
            return False, ('The email was sent, but the agent never told the user (no '
                           'AgentUserInterface.send_message_to_user)')
        return True, ('One email to Léa Fontaine <%s> saying 15 minutes late, and the user '
                      'was told' % LEA_EMAIL)


class Plugin(Sigma.ScenarioPlugin):
    """Registers tutorial_contact_email_py when the plugin is loaded."""
