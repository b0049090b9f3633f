import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NETWORK_ERROR, TIMEOUT } from '../../../../packages/sdk/src/errors';
import { PROBLEM_BASE, problemTypes } from './problem';

const PAGES = path.resolve(__dirname, '../../../../docs/docs/problems');

/** Types the SDK reports itself when no answer arrived (status 0): users meet them as `err.type` too. */
const CLIENT_SIDE: Array<{ slug: string; status: number }> = [NETWORK_ERROR, TIMEOUT].map((uri) => ({
  slug: uri.slice(PROBLEM_BASE.length + 1),
  status: 0,
}));

/**
 * Slugs API.md announces whose code is being written on other branches: their pages exist already so
 * the merges pass. Once the code returns them they are checked like the rest; then drop them here.
 */
const ANNOUNCED: Array<{ slug: string; status: number }> = [{ slug: 'too-many-attempts', status: 429 }];

/** The page's front matter keys (flat `key: value` lines). */
function frontMatter(file: string): Record<string, string> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(file, 'utf8'));
  if (!match) return {};
  return Object.fromEntries(
    match[1]
      .split('\n')
      .map((line) => /^([a-z_]+):(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2].trimStart().replace(/^['"]|['"]$/g, '')]),
  );
}

describe('problem type pages (docs/docs/problems)', () => {
  const fromCode = problemTypes();

  it('the code lists its problem types once each, under the messagejs.dev namespace', () => {
    expect(fromCode.length).toBeGreaterThan(10);
    for (const p of fromCode) expect(`${PROBLEM_BASE}/${p.slug}`).toMatch(/^https:\/\/messagejs\.dev\/problems\/[a-z]+(-[a-z]+)*$/);
    expect(new Set(fromCode.map((p) => p.slug)).size).toBe(fromCode.length);
  });

  it.each([...fromCode, ...CLIENT_SIDE].map((p) => [p.slug, p.status]))('%s has a page that states its status (%i)', (slug, status) => {
    const file = path.join(PAGES, `${slug}.md`);
    expect(existsSync(file)).toBe(true);
    expect(frontMatter(file)).toMatchObject({ slug: `/problems/${slug}`, problem_status: String(status) });
  });

  it.each(ANNOUNCED.map((p) => [p.slug, p.status]))('announced %s has its page ready (%i)', (slug, status) => {
    expect(frontMatter(path.join(PAGES, `${slug}.md`))).toMatchObject({ slug: `/problems/${slug}`, problem_status: String(status) });
  });

  it('has no page for a type nobody returns (a renamed slug leaves no stale page behind)', () => {
    const known = new Set([...fromCode, ...CLIENT_SIDE, ...ANNOUNCED].map((p) => p.slug));
    const pages = readdirSync(PAGES)
      .filter((f) => f.endsWith('.md') && f !== 'index.md')
      .map((f) => f.replace(/\.md$/, ''));
    expect(pages.filter((slug) => !known.has(slug))).toEqual([]);
  });
});
