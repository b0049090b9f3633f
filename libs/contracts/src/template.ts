import type { FieldError } from './errors';

/**
 * The one rule for message templates (API.md): `{{ name }}` placeholders, optional spaces inside the
 * braces, names `[A-Za-z_][A-Za-z0-9_.]*`. Values are inserted verbatim — nothing is escaped — and a
 * missing or unknown variable refuses the render instead of leaving a hole or dropping a value.
 */

/** Template names: what `template.name` in a send and the templates routes accept (no flags: OpenAPI shows `.source`). */
export const TEMPLATE_NAME_PATTERN = /^[A-Za-z0-9][\w.-]*$/;

/** Variables travel as a string map (≤ 50 keys of ≤ 40 characters), so a template must fit in one. */
export const MAX_TEMPLATE_VARIABLES = 50;
export const MAX_TEMPLATE_VARIABLE_NAME_LENGTH = 40;

/** The approved Meta template a WhatsApp send uses; the variables become its body parameters. */
export interface WhatsAppTemplateRef {
  name: string;
  language: string;
}

type Piece = { text: string } | { variable: string };

const VARIABLE_NAME = /^[A-Za-z_][\w.]*$/;

/** Splits content into literal text and placeholders, or says what is malformed. */
function scan(content: string): { pieces: Piece[] } | { problem: string } {
  const pieces: Piece[] = [];
  let from = 0;
  for (;;) {
    const open = content.indexOf('{{', from);
    if (open === -1) {
      pieces.push({ text: content.slice(from) });
      return { pieces };
    }
    pieces.push({ text: content.slice(from, open) });
    const at = `at character ${open + 1}`;
    const close = content.indexOf('}}', open + 2);
    if (close === -1) return { problem: `has an unclosed {{ ${at}` };
    const inner = content.slice(open + 2, close);
    if (inner.includes('{{')) return { problem: `has an unclosed {{ ${at}` };
    const name = trimSpaces(inner);
    if (name === '') return { problem: `has an empty placeholder ${at}` };
    if (!VARIABLE_NAME.test(name)) {
      const shown = inner.length <= 40 ? ` {{${inner}}}` : '';
      return { problem: `has an invalid placeholder${shown} ${at}: names are letters, digits, _ and . and do not start with a digit` };
    }
    if (name.length > MAX_TEMPLATE_VARIABLE_NAME_LENGTH) {
      return { problem: `has a placeholder name longer than ${MAX_TEMPLATE_VARIABLE_NAME_LENGTH} characters ${at}` };
    }
    pieces.push({ variable: name });
    from = close + 2;
  }
}

/** `s` without leading and trailing spaces, in one pass (a ` +$` regex is quadratic on a long run of spaces). */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(start, end);
}

/** Stored templates always pass templateSyntaxProblem, so malformed content here is a bug, not input. */
function piecesOf(content: string): Piece[] {
  const scanned = scan(content);
  if ('problem' in scanned) throw new Error(`template content ${scanned.problem}`);
  return scanned.pieces;
}

function namesOf(pieces: Piece[]): string[] {
  return [...new Set(pieces.flatMap((p) => ('variable' in p ? [p.variable] : [])))];
}

/** Why the content is not a valid template (worded to follow "content "), or null when it is. */
export function templateSyntaxProblem(content: string): string | null {
  const scanned = scan(content);
  if ('problem' in scanned) return scanned.problem;
  const count = namesOf(scanned.pieces).length;
  return count > MAX_TEMPLATE_VARIABLES ? `has ${count} variables; at most ${MAX_TEMPLATE_VARIABLES} are allowed` : null;
}

/** The distinct variable names, in order of first appearance. Throws on malformed content. */
export function parseTemplateVariables(content: string): string[] {
  return namesOf(piecesOf(content));
}

/** The variables a send must supply: exactly the template's, no more, no fewer. */
export type TemplateVariablesMismatch = { ok: false; missing: string[]; unknown: string[] };
export type TemplateRendering = { ok: true; text: string } | TemplateVariablesMismatch;
export type WhatsAppParameters = { ok: true; parameters: string[] } | TemplateVariablesMismatch;

function mismatch(names: string[], variables: Record<string, string>): TemplateVariablesMismatch | null {
  const missing = names.filter((name) => !Object.hasOwn(variables, name));
  const unknown = Object.keys(variables).filter((key) => !names.includes(key));
  return missing.length || unknown.length ? { ok: false, missing, unknown } : null;
}

/** Fills every placeholder with its value verbatim (one pass: values are never expanded again). */
export function renderTemplate(content: string, variables: Record<string, string>): TemplateRendering {
  const pieces = piecesOf(content);
  const refused = mismatch(namesOf(pieces), variables);
  if (refused) return refused;
  return { ok: true, text: pieces.map((p) => ('variable' in p ? variables[p.variable] : p.text)).join('') };
}

/** The values as WhatsApp body parameters {{1}}…{{n}}: one per variable, in order of first appearance. */
export function whatsappParameters(content: string, variables: Record<string, string>): WhatsAppParameters {
  const names = parseTemplateVariables(content);
  const refused = mismatch(names, variables);
  if (refused) return refused;
  return { ok: true, parameters: names.map((name) => variables[name]) };
}

/** A refused render as field errors under `field` (the send's `template.variables`), missing first. */
export function templateVariableErrors(refused: TemplateVariablesMismatch, field = 'template.variables'): FieldError[] {
  return [
    ...refused.missing.map((name) => ({ field: `${field}.${name}`, message: 'is required by the template' })),
    ...refused.unknown.map((name) => ({ field: `${field}.${name}`, message: 'is not a variable of the template' })),
  ];
}
