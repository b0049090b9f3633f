import messagejs, { AcceptedMessage, MessageJS } from '../src';
import { json, ScriptedServer, startScriptedServer } from './scripted-server';

const accepted: AcceptedMessage = {
  id: '0b8f2f7e-3f0a-4f43-9c1e-6d2b1d8f4a10',
  status: 'queued',
  connector: { id: 'f3a1c9e2-5b7d-4e8f-a1b2-c3d4e5f6a7b8', type: 'telegram' },
  to: '123456789',
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('messagejs (the default export)', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer((req, res) =>
      req.method === 'POST' ? json(res, 202, accepted) : json(res, 200, { data: [{ id: 'm-1' }], nextCursor: null }),
    );
  });
  afterAll(() => server.close());

  it('rejects calls made before init with a hint', async () => {
    await expect(messagejs.send({ to: '1', message: 'Hi', connector: 'telegram' })).rejects.toThrow(
      'call messagejs.init(apiKey, projectId) first',
    );
  });

  it('sends with the key and project given to init', async () => {
    const client = messagejs.init('mjs_pk_0123456789abcdefghijklmnopqrstuv', 'project-1', { baseUrl: server.url });
    const result = await messagejs.send({
      to: '123456789',
      template: { name: 'welcome', variables: { name: 'Ada' } },
      connector: 'telegram',
    });

    expect(client).toBeInstanceOf(MessageJS);
    expect(result).toEqual(accepted);
    expect(server.seen[0].headers).toMatchObject({
      authorization: 'Bearer mjs_pk_0123456789abcdefghijklmnopqrstuv',
      'x-project-id': 'project-1',
    });
  });

  it('lists and iterates through the initialised client', async () => {
    messagejs.init('mjs_sk_0123456789abcdefghijklmnopqrstuv', 'project-2', { baseUrl: server.url });
    const page = await messagejs.list({ limit: 1 });
    const ids: string[] = [];
    for await (const m of messagejs.listAll()) ids.push(m.id);

    expect(page.data.map((m) => m.id)).toEqual(['m-1']);
    expect(ids).toEqual(['m-1']);
    expect(server.seen.at(-1)?.headers['x-project-id']).toBe('project-2');
  });
});
