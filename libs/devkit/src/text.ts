/** The URL without its password, for anything printed or logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  }
}

/** An error (or anything thrown) as one line of text. */
export function oneLine(err: unknown): string {
  if (err === undefined || err === null) return 'unknown error';
  const e = err as { message?: unknown; errors?: unknown; code?: unknown };
  let text = typeof e.message === 'string' ? e.message : '';
  if (!text && Array.isArray(e.errors)) text = e.errors.map((x: unknown) => (x instanceof Error ? x.message : shown(x))).join('; ');
  if (!text) text = typeof e.code === 'string' ? e.code : err instanceof Error ? err.toString() : shown(err);
  return text.replace(/\s+/g, ' ').trim();
}

/** A thrown non-Error as text: strings as they are, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? typeof value);
}
