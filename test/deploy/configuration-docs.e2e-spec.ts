import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigScope, envReaders, PLATFORM_APPS } from '@app/config';
import { ROOT } from './manifests';

/** The configuration table of README.md: each documented variable and the apps its "read by" cell names. */
function documentedReaders(): Map<string, string[]> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const documented = new Map<string, string[]>();
  for (const row of rows) {
    const [variables, , readBy] = row.slice(1).split(' | ');
    const apps = readBy
      .trim()
      .replace('all apps', PLATFORM_APPS.join(', '))
      .split(',')
      .map((app) => app.trim());
    for (const [, name] of variables.matchAll(/`([A-Z0-9_]+)`/g)) documented.set(name, apps.sort());
  }
  return documented;
}

describe('README configuration table', () => {
  const documented = documentedReaders();

  it('documents every variable an app reads, with exactly the apps that read it', () => {
    const actual = [...envReaders()].map(([name, apps]) => [name, [...apps].sort()]);
    expect(actual.map(([name]) => [name, documented.get(name as string)])).toEqual(actual);
  });

  it('documents nothing the apps do not read, except what only `npm start` reads', () => {
    const readers = envReaders();
    const extra = [...documented].filter(([name, apps]) => !readers.has(name as never) && apps.join() !== '`npm start`');
    expect(extra).toEqual([]);
    for (const apps of documented.values()) {
      for (const app of apps) expect([...PLATFORM_APPS, 'migrate', '`npm start`']).toContain(app as ConfigScope);
    }
  });
});
