import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Platform } from './support/platform';

jest.setTimeout(60_000);

const COMMITTED = path.resolve(__dirname, '..', 'docs', 'openapi.json');

/** The docs site renders its API reference from docs/openapi.json; it must be what the gateway serves. */
describe('docs/openapi.json', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ apps: ['gateway'] });
  });

  afterAll(() => platform?.stop());

  it('is the document the gateway serves at /openapi.json (else: npm run docs:openapi)', async () => {
    const served = await platform.request('GET', '/openapi.json');
    expect(served.status).toBe(200);
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));

    // The only difference allowed: the server URL, which names wherever this gateway listens.
    expect(served.body.servers).toEqual([{ url: `http://localhost:${platform.port}` }]);
    expect(committed.servers).toEqual([{ url: 'http://localhost:3000' }]);
    expect({ ...served.body, servers: committed.servers }).toEqual(committed);
  });

  it('gives every operation a summary, the title of its page in the API reference', () => {
    const document = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const untitled = Object.entries(document.paths as Record<string, Record<string, { operationId: string; summary?: string }>>)
      .flatMap(([, item]) => Object.values(item))
      .filter((operation) => !operation.summary)
      .map((operation) => operation.operationId);
    expect(untitled).toEqual([]);
  });
});
