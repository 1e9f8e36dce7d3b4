// Jinja as dbt users write it: return(), do, namespace, set blocks, ~, Python `%` formatting,
// Python methods, tojson/fromjson/yaml, modules.datetime / modules.re, strict undefined names,
// execute and graph. Every case renders a real model through the compiler.

import { describe, expect, it } from 'vitest';
import { bareProject, compile, compileCompiled, compiledSql } from './compile-fixture.js';

async function render(sql: string, macros: Record<string, string> = {}, extra: Parameters<typeof compile>[2] = {}): Promise<string> {
  const files = await bareProject({ 'models/probe.sql': sql, 'models/other.sql': 'select 1 as id' }, { macros });
  return compiledSql(compile(files, 'postgres', extra), 'probe');
}

async function failure(sql: string, macros: Record<string, string> = {}): Promise<string> {
  try {
    await render(sql, macros);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('rendered without an error');
}

describe('return()', () => {
  const macros = {
    'macros/cols.sql': [
      '{% macro cols() %}{{ return(["a", "b"]) }}{% endmacro %}',
      "{% macro settings() %}{{ return({'n': 3, 'on': true}) }}{% endmacro %}",
      '{% macro pick(x) %}{% if x %}{{ return("yes") }}{% endif %}{{ exceptions.raise_compiler_error("no") }}{% endmacro %}',
      '{% macro number() %}{{ return(42) }}{% endmacro %}',
    ].join('\n'),
  };

  it('makes the call yield the value, so a macro can hand back a list or a dict', async () => {
    expect(await render('{% set cs = cols() %}{% for c in cs %}{{ c }};{% endfor %}', macros)).toBe('a;b;');
    expect(await render("{% set s = settings() %}{{ s.n + 1 }} {{ s['on'] }}", macros)).toBe('4 true');
    expect(await render('{{ number() * 2 }}', macros)).toBe('84');
  });

  it('leaves the macro at once', async () => {
    expect(await render('{{ pick(true) }}', macros)).toBe('yes');
  });
});

describe('do, namespace, set blocks and ~', () => {
  it('runs an expression for its effect with do', async () => {
    expect(await render('{% set xs = [] %}{% do xs.append(1) %}{% do xs.extend([2, 3]) %}{{ xs | join(",") }}')).toBe('1,2,3');
  });

  it('keeps a namespace assignment made inside a loop', async () => {
    const sql =
      '{% set ns = namespace(found=false, n=0) %}{% for i in [1, 2, 3] %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.found }} {{ ns.n }}';
    expect(await render(sql)).toBe('true 6');
  });

  it('captures a block with set … endset and joins text with ~', async () => {
    expect(await render("{% set body %}select {{ 1 }}{% endset %}{{ body ~ ' as x' ~ none }}")).toBe('select 1 as x');
  });
});

describe("Python's % formatting", () => {
  it('formats tuples, numbers and dicts as Python does', async () => {
    expect(await render("{{ '%s-%s' % (1, 2) }}|{{ '%d' % 3.7 }}|{{ '%05.2f' % 3.14159 }}|{{ '%(a)s/%(b)r' % {'a': 1, 'b': 'x'} }}")).toBe("1-2|3|03.14|1/'x'");
    expect(await render("{{ '%-4s|%4d|%x|%e|%g|%%' % ('ab', 7, 255, 1500, 0.5) }}")).toBe('ab  |   7|ff|1.500000e+03|0.5|%');
  });

  it('says when the arguments do not fit', async () => {
    expect(await failure("{{ '%s %s' % (1, 2, 3) }}")).toBe("models/probe.sql:1: '%s %s' % …: not all arguments converted during string formatting");
  });
});

describe('Python methods', () => {
  it('on strings', async () => {
    const sql =
      "{{ 'Ab'.upper() }} {{ 'Ab'.lower() }} {{ 'a.a'.replace('.', '_') }} {{ ' a  b '.split() }} {{ 'a,b'.split(',') }} [{{ ' x '.strip() }}] {{ 'xay'.lstrip('x') }} {{ 'ab'.startswith('a') }} {{ 'ab'.endswith('a') }} {{ '{}-{x}'.format(1, x=2) }} {{ ', '.join(['a', 'b']) }} {{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }}";
    expect(await render(sql)).toBe("AB ab a_a ['a', 'b'] ['a', 'b'] [x] ay true false 1-2 a, b Hello World Hello");
  });

  it('on lists', async () => {
    const sql = '{% set xs = [3, 1] %}{% do xs.insert(0, 9) %}{{ xs.pop() }} {{ xs.index(3) }} {{ xs.count(9) }} {{ xs }} {{ xs + [4] }}';
    expect(await render(sql)).toBe('1 1 1 [9, 3] [9, 3, 4]');
  });

  it('on dicts, while a key of the same name wins', async () => {
    const sql =
      "{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} {{ d.keys() }} {{ d.values() }} {{ d.get('z', 0) }} {{ d.pop('a') }} {{ d.setdefault('c', 5) }} {{ d }} {{ {'keys': 'own'}.keys }}";
    expect(await render(sql)).toBe("a=1;b=2; ['a', 'b'] [1, 2] 0 1 5 {'b': 2, 'c': 5} own");
  });

  it('leave JavaScript strings alone elsewhere in the process', async () => {
    await render("{{ 'a'.upper() }}");
    expect((String.prototype as unknown as Record<string, unknown>).upper).toBeUndefined();
  });
});

describe('tojson, fromjson, toyaml, fromyaml', () => {
  it('round-trip values as functions and filters', async () => {
    expect(
      await render("{{ tojson({'a': [1, 'x'], 'b': none}) }}|{{ {'k': true} | tojson }}|{{ fromjson('{\"n\": 2}').n }}|{{ ('[1, 2]' | fromjson)[1] }}"),
    ).toBe('{"a": [1, "x"], "b": null}|{"k": true}|2|2');
    expect(await render("{{ fromyaml('a: [1, 2]').a[1] }}|{{ toyaml({'a': 1}) | trim }}")).toBe('2|a: 1');
  });
});

describe('modules.datetime and modules.re', () => {
  it('reads now() from the run clock, and formats, parses and shifts dates', async () => {
    const sql =
      "{% set dt = modules.datetime %}{{ dt.datetime.now() }}|{{ dt.datetime.now().strftime('%Y%m%d %H:%M') }}|{{ (dt.datetime.strptime('2024-01-31', '%Y-%m-%d') + dt.timedelta(days=1)).strftime('%Y-%m-%d') }}|{{ dt.date(2024, 3, 1) - dt.timedelta(days=1) }}|{{ (dt.date(2024, 3, 1) - dt.date(2024, 2, 1)).days }}";
    expect(await render(sql)).toBe('2024-03-02 06:00:00|20240302 06:00|2024-02-01|2024-02-29|29');
  });

  it('follows the run clock it is given', async () => {
    expect(await render('{{ modules.datetime.datetime.now().isoformat() }}', {}, { runStartedAt: '2025-06-01T12:30:00.000Z' })).toBe('2025-06-01T12:30:00');
  });

  it('matches, searches, substitutes and finds as Python re does', async () => {
    const sql =
      "{% set re = modules.re %}{{ re.match('a([0-9]+)', 'a12b').group(1) }}|{{ re.match('[0-9]', 'a1') is none }}|{{ re.search('(?P<n>[0-9]+)', 'x42').group('n') }}|{{ re.sub('([a-z]+)@', '\\\\1 at ', 'me@x') }}|{{ re.findall('[0-9]', 'a1b2') }}|{{ re.compile('^ab', re.IGNORECASE).match('ABc') is not none }}";
    expect(await render(sql)).toBe("12|true|42|me at x|['1', '2']|true");
  });
});

describe('undefined names', () => {
  it('are errors naming the file and line, as in dbt', async () => {
    expect(await failure('select 1\n\n{{ nosuchthing }}')).toBe("models/probe.sql:3: 'nosuchthing' is undefined");
    expect(await failure('select 1\n{% if nosuch.x %}{% endif %}')).toBe("models/probe.sql:2: 'nosuch' is undefined");
  });

  it('can still be asked about with is defined, is none and default', async () => {
    const sql =
      "{{ nosuch is defined }} {{ nosuch | default('d') }} {{ config.get('nope') is none }} {{ config.get('nope', 'fb') }} {{ this.nothing is defined }}";
    expect(await render(sql)).toBe('false d true fb false');
  });

  it('include names set to nothing, which render as nothing', async () => {
    expect(await render("{% set x = config.get('nope') %}[{{ x }}]")).toBe('[]');
  });
});

describe('execute and graph', () => {
  it('are false and empty while compiling, true and filled when a node renders to run', async () => {
    const files = await bareProject({
      'models/probe.sql': "{{ execute }}:{% for n in graph.nodes.values() | sort(attribute='unique_id') %}{{ n.unique_id }}/{{ n.resource_type }};{% endfor %}",
      'models/other.sql': 'select 1 as id',
    });
    const compiled = compileCompiled(files);
    expect(compiledSql(compiled.manifest, 'probe')).toBe('false:');
    expect(compiled.render('model.shop.probe').compiled_code).toBe('true:model.shop.other/model;model.shop.probe/model;');
  });
});
