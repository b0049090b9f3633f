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
  if (!text && Array.isArray(e.errors)) text = e.errors.map((x: { message?: string }) => x?.message ?? String(x)).join('; ');
  if (!text) text = typeof e.code === 'string' ? e.code : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
