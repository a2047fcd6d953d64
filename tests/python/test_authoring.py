# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python authoring API of gi.overrides.Sigma, through GI only (no CLI, no plugin):
@Sigma.scenario classes and their registration, the vfunc conveniences of Sigma.Scenario,
the event helpers, and apps whose tools are @Sigma.tool methods."""

import typing

import pytest

from gi.repository import GLib, Sigma

SIGMA_ERROR = Sigma.error_quark()


def run_oracle(scenario):
    env = Sigma.Environment.new()
    env.set_oracle_mode(True)
    scenario.setup(env)
    env.run()
    return env


def log_entries(env):
    log = env.get_log()
    return [log.get(i) for i in range(log.get_length())]


# --------------------------------------------------------------------------------------------
# A Python app


class Shelf(Sigma.App):
    """A shelf of books, with typed tools."""
    app_name = 'Shelf'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.books = []

    @Sigma.tool(role=Sigma.ToolRole.AGENT | Sigma.ToolRole.ENV, operation=Sigma.ToolOperation.WRITE)
    def add_book(self, title: str, year: int, tags: typing.List[str] = (), rating: typing.Optional[float] = None,
                 lent: bool = False) -> dict:
        """Put a book on the shelf.

        Args:
            title: the title of the book
            year: the year it was published,
                as an integer
            tags: words to find it by
            rating: out of five, or null
            lent: whether it is lent out

        Returns:
            the book as stored
        """
        book = {'title': title, 'year': year, 'tags': list(tags), 'rating': rating, 'lent': lent}
        self.books.append(book)
        return book

    @Sigma.tool
    def count(self) -> int:
        """How many books there are."""
        return len(self.books)

    @Sigma.tool(description='Find books whose title contains a text', params={'text': 'what to look for'})
    def find(self, text: str, options: dict = None, anything=None):
        return [b for b in self.books if text.lower() in b['title'].lower()]

    @Sigma.tool(description='Always fails', operation=Sigma.ToolOperation.WRITE)
    def burn(self):
        raise PermissionError('books are not burnt here')


class BigShelf(Shelf):
    app_name = 'BigShelf'

    @Sigma.tool(description='How many books there are, times a thousand')
    def count(self) -> int:
        return 1000 * len(self.books)


def test_tools_are_declared_with_typed_parameters():
    shelf = Shelf()
    assert shelf.get_name() == 'Shelf'
    tools = {t.get_name(): t for t in shelf.list_tools(Sigma.ToolRole.AGENT)}
    assert list(tools) == ['add_book', 'count', 'find', 'burn']
    add = tools['add_book']
    assert add.get_description() == 'Put a book on the shelf.'
    assert add.get_return_description() == 'the book as stored'
    assert add.get_roles() == Sigma.ToolRole.AGENT | Sigma.ToolRole.ENV
    assert add.get_operation() == Sigma.ToolOperation.WRITE
    params = [(add.get_parameter_name(i), add.get_parameter_type(i), add.get_parameter_required(i),
               add.get_parameter_nullable(i), add.get_parameter_description(i))
              for i in range(add.get_n_parameters())]
    assert params == [
        ('title', Sigma.ValueType.STRING, True, False, 'the title of the book'),
        ('year', Sigma.ValueType.INTEGER, True, False, 'the year it was published, as an integer'),
        ('tags', Sigma.ValueType.ARRAY, False, False, 'words to find it by'),
        ('rating', Sigma.ValueType.NUMBER, False, True, 'out of five, or null'),
        ('lent', Sigma.ValueType.BOOLEAN, False, False, 'whether it is lent out'),
    ]
    assert Sigma.from_json_node(add.get_parameter_default(2)) == []
    find = tools['find']
    assert find.get_roles() == Sigma.ToolRole.AGENT and find.get_operation() == Sigma.ToolOperation.READ
    assert [find.get_parameter_type(i) for i in range(3)] == [
        Sigma.ValueType.STRING, Sigma.ValueType.OBJECT, Sigma.ValueType.ANY]
    assert find.get_parameter_description(0) == 'what to look for'
    assert tools['count'].get_description() == 'How many books there are.'


def test_tools_appear_in_the_json_schema():
    schema = Sigma.from_json_node(Shelf().lookup_tool('add_book').to_json_schema())
    text = repr(schema)
    for expected in ('add_book', 'Put a book on the shelf.', 'title', 'year', 'integer',
                     'the year it was published, as an integer'):
        assert expected in text
    assert "'items': {'type': 'string'}" in text


def test_tools_validate_and_run_by_name_through_the_environment():
    env = Sigma.Environment.new()
    shelf = Shelf()
    env.add_app(shelf)
    args = Sigma.to_json_node({'title': 'Dune', 'year': 1965, 'tags': ['sf']}).get_object()
    result = env.call_tool('Shelf', 'add_book', args, Sigma.EventType.AGENT)
    assert Sigma.from_json_node(result) == {'title': 'Dune', 'year': 1965, 'tags': ['sf'],
                                            'rating': None, 'lent': False}
    assert shelf.call('count') == 1
    assert shelf.call('find', text='dune')[0]['title'] == 'Dune'
    entry = log_entries(env)[-1]
    assert (entry.get_app_name(), entry.get_function()) == ('Shelf', 'add_book')

    bad = Sigma.to_json_node({'title': 'Dune', 'year': 'nineteen'}).get_object()
    with pytest.raises(GLib.Error) as raised:
        env.call_tool('Shelf', 'add_book', bad, Sigma.EventType.AGENT)
    assert raised.value.matches(SIGMA_ERROR, int(Sigma.Error.INVALID_ARGUMENT))
    with pytest.raises(GLib.Error) as raised:
        shelf.invoke('add_book', {'title': 'x', 'year': 1, 'tags': [1]})
    assert raised.value.matches(SIGMA_ERROR, int(Sigma.Error.INVALID_ARGUMENT))
    with pytest.raises(GLib.Error) as raised:
        shelf.call('burn')
    assert raised.value.matches(SIGMA_ERROR, int(Sigma.Error.TOOL_FAILED))
    assert 'PermissionError: books are not burnt here' in raised.value.message
    assert shelf.call('count') == 1


def test_subclasses_inherit_and_override_tools():
    big = BigShelf()
    assert big.get_name() == 'BigShelf'
    assert [t.get_name() for t in big.list_tools(Sigma.ToolRole.AGENT)] == ['add_book', 'count', 'find', 'burn']
    big.call('add_book', title='Emma', year=1815)
    assert big.call('count') == 1000
    assert Shelf(name='other').get_name() == 'other'


def _set_parameter(self, value: set = None):
    pass


@pytest.mark.parametrize('make, message', [
    (lambda: Sigma.tool(description='x')(lambda self, *rest: None), 'no *args'),
    (lambda: Sigma.tool(description='x')(_set_parameter), 'not a tool parameter type'),
    (lambda: Sigma.tool()(lambda self: None), 'needs a description'),
    (lambda: Sigma.tool(description='x', params={'nope': 'y'})(lambda self: None), 'nope'),
], ids=['varargs', 'bad-type', 'no-description', 'unknown-param'])
def test_bad_tool_declarations_are_refused(make, message):
    with pytest.raises((TypeError, ValueError)) as raised:
        make()
    assert message in str(raised.value)


# --------------------------------------------------------------------------------------------
# Scenarios


@Sigma.scenario('authoring_shelf', tags=['test'], seed=42, duration=100.0)
class ShelfScenario(Sigma.Scenario):
    """Shelve a book, then check the shelf"""

    def do_init_apps(self, env):
        env.add_app(Shelf())

    def do_build_events(self, env):
        first = Sigma.action('Shelf', 'add_book', title='Emma', year=1815, event_id='emma', delay=3)
        second = Sigma.oracle('Shelf', 'add_book', {'title': 'Dune', 'year': 1965}, event_id='dune',
                              delay=4, depends_on=first)
        both = Sigma.condition(lambda e: e.get_app('Shelf').call('count') == 2, name='two_books',
                               event_id='wait', depends_on=first,
                               followed_by=Sigma.action('Shelf', 'count', event_id='counted', delay=1))
        env.schedule(first)
        env.schedule(second)
        env.schedule(both)

    def do_validate(self, env):
        return env.get_app('Shelf').call('count') == 2, 'two books'


def test_decorator_records_and_registers_with_metadata():
    assert ShelfScenario.__sigma_scenario__.scenario_id == 'authoring_shelf'
    assert ShelfScenario in Sigma.scenarios(__name__)
    registry = Sigma.ScenarioRegistry.new()
    assert Sigma.register_scenarios(registry, [ShelfScenario]) == ['authoring_shelf']
    info = registry.lookup('authoring_shelf')
    assert info.get_summary() == 'Shelve a book, then check the shelf'
    assert list(info.get_tags()) == ['test']
    assert info.get_source() == Sigma.ScenarioSource.APPLICATION
    assert info.get_location() == __file__

    # created from C, with the decorator's properties
    scenario = registry.create('authoring_shelf')
    assert isinstance(scenario, ShelfScenario)
    assert scenario.get_scenario_id() == 'authoring_shelf'
    assert (scenario.get_seed(), scenario.get_duration()) == (42, 100.0)


def test_a_class_without_properties_is_registered_by_type():
    registry = Sigma.ScenarioRegistry.new()
    Sigma.register_scenarios(registry, [PassScenario], Sigma.ScenarioSource.PYTHON_PLUGIN, '/x.plugin')
    info = registry.lookup('authoring_pass')
    assert info.get_scenario_type() == PassScenario.__gtype__
    assert (info.get_source(), info.get_location()) == (Sigma.ScenarioSource.PYTHON_PLUGIN, '/x.plugin')
    assert info.get_summary() == 'Passes with the default rationale'
    assert registry.create('authoring_pass').get_scenario_id() == 'authoring_pass'


def test_a_second_registration_is_one_error_naming_the_id():
    registry = Sigma.ScenarioRegistry.new()
    Sigma.register_scenarios(registry, [ShelfScenario])
    with pytest.raises(GLib.Error) as raised:
        Sigma.register_scenarios(registry, [ShelfScenario, PassScenario])
    assert raised.value.matches(SIGMA_ERROR, int(Sigma.Error.DUPLICATE_ID))
    assert 'authoring_shelf' in raised.value.message
    assert registry.lookup('authoring_pass') is not None    # the others are registered


def test_scenario_events_run_with_links_and_delays():
    scenario = ShelfScenario()
    env = run_oracle(scenario)
    times = {e.get_event_id(): e.get_event_time() for e in log_entries(env)}
    assert times['emma'] == 3.0
    assert times['dune'] == 7.0           # 4 s after emma
    assert times['counted'] == 8.0        # 1 s after the condition held, at 7 s
    assert scenario.validate(env) == (True, 'two books')


@Sigma.scenario('authoring_pass')
class PassScenario(Sigma.Scenario):
    """Passes with the default rationale"""

    def do_validate(self, env):
        return None


@pytest.mark.parametrize('returned, expected', [
    (None, (True, 'The scenario was validated')),
    (True, (True, None)),
    (False, (False, None)),
    ('missing books', (False, 'missing books')),
    ((False, 'why'), (False, 'why')),
])
def test_validate_return_forms(returned, expected):
    class Judged(Sigma.Scenario):
        def do_validate(self, env):
            return returned

    env = run_oracle(Judged())
    assert Judged().validate(env) == expected


def test_exceptions_in_vfuncs_become_errors_naming_the_method():
    class Broken(Sigma.Scenario):
        def do_build_events(self, env):
            raise KeyError('no events')

        def do_validate(self, env):
            return 1 / 0

    env = Sigma.Environment.new()
    with pytest.raises(GLib.Error) as raised:
        Broken().setup(env)
    assert 'Broken.do_build_events() raised KeyError' in raised.value.message
    assert 'test_authoring.py' in raised.value.message
    with pytest.raises(GLib.Error) as raised:
        Broken().validate(env)
    assert 'Broken.do_validate() raised ZeroDivisionError: division by zero' in raised.value.message


def test_decorator_refuses_what_is_not_a_scenario():
    with pytest.raises(TypeError):
        Sigma.scenario('x')(Shelf)
    with pytest.raises(ValueError):
        Sigma.scenario('')
    with pytest.raises(TypeError):
        Sigma.scenario('x', tags='not-a-list')
    with pytest.raises(ValueError):
        Sigma.scenario('authoring_pass')(type('Again', (Sigma.Scenario,), {}))


# --------------------------------------------------------------------------------------------
# Validation helpers: milestones and minefields as Python functions


def shelf_env():
    env = Sigma.Environment.new()
    env.add_app(Shelf())
    return env


def test_validation_milestones_and_minefields():
    env = shelf_env()
    add = Sigma.action('Shelf', 'add_book', title='Emma', year=1815, event_id='add', delay=2)

    def has_emma(e):
        return e.get_app('Shelf').call('count') >= 1

    watch = Sigma.validation(milestones=[has_emma], minefields={'burnt': lambda e: False},
                             every_ticks=1, timeout=5, event_id='watch')
    env.schedule(add)
    env.schedule(watch)
    env.run()
    assert list(watch.dup_achieved_milestones()) == ['has_emma']
    assert env.get_failure_reason() is None


def test_a_triggered_minefield_fails_the_run():
    env = shelf_env()
    add = Sigma.action('Shelf', 'add_book', title='Emma', year=1815, delay=2)
    watch = Sigma.validation(minefields=[lambda e: e.get_app('Shelf').call('count') > 0],
                             timeout=5, depends_on=add)
    env.schedule(add)
    env.schedule(watch)
    env.run()
    assert env.get_state() == Sigma.EnvironmentState.FAILED


def test_agent_validation_and_stop():
    env = shelf_env()
    check = Sigma.agent_validation(milestones=[lambda e, event: event.get_function() == 'count'],
                                   timeout=10)
    env.schedule(check)
    env.schedule(Sigma.stop(delay=50))
    env.run_until(5)
    env.call_tool('Shelf', 'count', Sigma.to_json_node({}).get_object(), Sigma.EventType.AGENT)
    env.run()
    assert env.get_failure_reason() is None
    assert env.get_time() == 50.0


def test_register_scenarios_defaults_to_the_calling_module():
    registry = Sigma.ScenarioRegistry.new()
    assert Sigma.register_scenarios(registry) == ['authoring_shelf', 'authoring_pass']
    assert Sigma.register_scenarios(Sigma.ScenarioRegistry.new(), __name__) == \
        ['authoring_shelf', 'authoring_pass']


def test_an_undeclared_class_is_an_invalid_argument():
    class Undeclared(Sigma.Scenario):
        pass

    registry = Sigma.ScenarioRegistry.new()
    with pytest.raises(GLib.Error) as raised:
        Sigma.register_scenarios(registry, [Undeclared, PassScenario])
    assert raised.value.matches(SIGMA_ERROR, int(Sigma.Error.INVALID_ARGUMENT))
    assert 'Undeclared is not declared with @Sigma.scenario' in raised.value.message
    assert registry.lookup('authoring_pass') is not None
