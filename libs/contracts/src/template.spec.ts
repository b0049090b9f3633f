import {
  parseTemplateVariables,
  renderTemplate,
  templateSyntaxProblem,
  templateVariableErrors,
  TEMPLATE_NAME_PATTERN,
  whatsappParameters,
} from './template';

describe('parseTemplateVariables', () => {
  const table: Array<[string, string[]]> = [
    ['Hello', []],
    ['', []],
    ['Hi {{name}}', ['name']],
    ['Hi {{ name }}!', ['name']],
    ['Hi {{   name}}', ['name']],
    ['{{b}} then {{a}} then {{b}} again', ['b', 'a']],
    ['{{ order.id }} for {{_user}} x{{n2}}', ['order.id', '_user', 'n2']],
    ['{{a}}{{b}}', ['a', 'b']],
    ['a } b }} c { d', []],
    ['{ {name} }', []],
    ['{{constructor}} {{__proto__}}', ['constructor', '__proto__']],
  ];
  it.each(table)('%j has variables %j', (content, expected) => {
    expect(parseTemplateVariables(content)).toEqual(expected);
  });

  it('throws on malformed content, which is never stored', () => {
    expect(() => parseTemplateVariables('Hi {{name')).toThrow('template content has an unclosed {{ at character 4');
  });
});

describe('templateSyntaxProblem', () => {
  const table: Array<[string, string | null]> = [
    ['Hello {{name}}', null],
    ['no placeholders at all', null],
    ['stray }} closers are text', null],
    ['Hi {{name', 'has an unclosed {{ at character 4'],
    ['{{', 'has an unclosed {{ at character 1'],
    ['{{a}} and {{ b', 'has an unclosed {{ at character 11'],
    ['{{ a {{ b }}', 'has an unclosed {{ at character 1'],
    ['{{}}', 'has an empty placeholder at character 1'],
    ['x {{   }}', 'has an empty placeholder at character 3'],
    ['{{1st}}', 'has an invalid placeholder {{1st}} at character 1: names are letters, digits, _ and . and do not start with a digit'],
    [
      '{{first name}}',
      'has an invalid placeholder {{first name}} at character 1: names are letters, digits, _ and . and do not start with a digit',
    ],
    ['{{{name}}}', 'has an invalid placeholder {{{name}} at character 1: names are letters, digits, _ and . and do not start with a digit'],
    ['{{na-me}}', 'has an invalid placeholder {{na-me}} at character 1: names are letters, digits, _ and . and do not start with a digit'],
    [
      '{{\tname}}',
      'has an invalid placeholder {{\tname}} at character 1: names are letters, digits, _ and . and do not start with a digit',
    ],
    [`{{${'x'.repeat(41)}}}`, 'has a placeholder name longer than 40 characters at character 1'],
    [`{{${'x'.repeat(40)}}}`, null],
  ];
  it.each(table)('%j → %j', (content, expected) => {
    expect(templateSyntaxProblem(content)).toBe(expected);
  });

  it('does not quote a long invalid placeholder back', () => {
    expect(templateSyntaxProblem(`{{ ${'-'.repeat(100)} }}`)).toBe(
      'has an invalid placeholder at character 1: names are letters, digits, _ and . and do not start with a digit',
    );
  });

  it('refuses more variables than a send can carry', () => {
    const content = (n: number) => Array.from({ length: n }, (_, i) => `{{v${i}}}`).join(' ');
    expect(templateSyntaxProblem(content(50))).toBeNull();
    expect(templateSyntaxProblem(content(51))).toBe('has 51 variables; at most 50 are allowed');
  });
});

describe('renderTemplate', () => {
  const table: Array<[string, string, Record<string, string>, ReturnType<typeof renderTemplate>]> = [
    ['fills every occurrence', 'Hi {{name}}, {{ name }}!', { name: 'Ada' }, { ok: true, text: 'Hi Ada, Ada!' }],
    ['escapes nothing', '<p>{{html}}</p>', { html: '<b>&amp;"\'</b>' }, { ok: true, text: '<p><b>&amp;"\'</b></p>' }],
    ['does not expand placeholders inside values', '{{a}} {{b}}', { a: '{{b}}', b: 'B' }, { ok: true, text: '{{b}} B' }],
    ['keeps $-patterns literally', 'Total: {{amount}}', { amount: "$& $1 $$ $'" }, { ok: true, text: "Total: $& $1 $$ $'" }],
    ['accepts an empty value', '[{{x}}]', { x: '' }, { ok: true, text: '[]' }],
    ['renders text without placeholders', 'Plain', {}, { ok: true, text: 'Plain' }],
    ['keeps stray braces', 'a } {{x}} }} {', { x: '1' }, { ok: true, text: 'a } 1 }} {' }],
    ['refuses missing variables', 'Hi {{first}} {{last}} {{first}}', { last: 'L' }, { ok: false, missing: ['first'], unknown: [] }],
    ['refuses unknown variables', 'Hi {{name}}', { name: 'Ada', nmae: 'typo' }, { ok: false, missing: [], unknown: ['nmae'] }],
    ['reports missing and unknown together', '{{a}} {{b}}', { c: '1' }, { ok: false, missing: ['a', 'b'], unknown: ['c'] }],
    ['does not take inherited properties for variables', '{{constructor}}', {}, { ok: false, missing: ['constructor'], unknown: [] }],
  ];
  it.each(table)('%s', (_case, content, variables, expected) => {
    expect(renderTemplate(content, variables)).toEqual(expected);
  });
});

describe('whatsappParameters', () => {
  const table: Array<[string, Record<string, string>, ReturnType<typeof whatsappParameters>]> = [
    [
      'Hi {{name}}, order {{order}} ships {{date}}',
      { date: 'Monday', name: 'Ada', order: '#42' },
      { ok: true, parameters: ['Ada', '#42', 'Monday'] },
    ],
    ['{{b}} {{a}} {{b}}', { a: 'A', b: 'B' }, { ok: true, parameters: ['B', 'A'] }],
    ['No variables', {}, { ok: true, parameters: [] }],
    ['{{a}}', {}, { ok: false, missing: ['a'], unknown: [] }],
    ['{{a}}', { a: '1', b: '2' }, { ok: false, missing: [], unknown: ['b'] }],
  ];
  it.each(table)('%j with %j', (content, variables, expected) => {
    expect(whatsappParameters(content, variables)).toEqual(expected);
  });
});

describe('templateVariableErrors', () => {
  it('names each missing and unknown variable under the send field', () => {
    expect(templateVariableErrors({ ok: false, missing: ['name'], unknown: ['nmae'] })).toEqual([
      { field: 'template.variables.name', message: 'is required by the template' },
      { field: 'template.variables.nmae', message: 'is not a variable of the template' },
    ]);
  });
});

describe('TEMPLATE_NAME_PATTERN', () => {
  it.each([
    ['welcome', true],
    ['Order-Shipped.v2', true],
    ['0day_promo', true],
    ['-leading-dash', false],
    ['.hidden', false],
    ['has space', false],
    ['', false],
  ])('%j → %s', (name, expected) => {
    expect(TEMPLATE_NAME_PATTERN.test(name)).toBe(expected);
  });
});
