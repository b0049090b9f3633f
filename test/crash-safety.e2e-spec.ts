import { TelegramFake } from './fakes/telegram.fake';
import { eventually, Platform } from './support/platform';
import { startWithTelegram } from './support/telegram-platform';
import { Tenant } from './support/tenant';

jest.setTimeout(180_000);

/** Invariant 1: once the API answered 202, the message reaches a final status even if processes are SIGKILLed. */
describe('crash safety', () => {
  let platform: Platform;
  let telegram: TelegramFake;
  let tenant: Tenant;

  beforeAll(async () => {
    ({ platform, telegram, tenant } = await startWithTelegram({ telegram: { delayMs: 20 } }));
  });

  afterAll(() => platform?.stop());

  it("sends every 202'd message after the dispatcher and the worker are SIGKILLed mid-stream and restarted", async () => {
    const accepted: string[] = [];
    let refused = 0;
    let seq = 0;
    let streaming = true;
    const sender = async () => {
      while (streaming) {
        const n = seq++;
        const res = await platform
          .request('POST', 'messages', { token: tenant.apiKey, body: { to: '31337', message: `crash-test ${n}`, connector: 'telegram' } })
          .catch(() => null);
        if (res?.status === 202) accepted.push(res.body.id);
        else refused++;
      }
    };
    const senders = Array.from({ length: 8 }, sender);

    // Mid-stream: some messages accepted, and some of those already sent.
    await eventually(async () => accepted.length > 50 && telegram.sent.length > 10, 30_000);
    await Promise.all([platform.kill('dispatcher'), platform.kill('worker')]);
    const killedAfter = accepted.length;
    // Down long enough for the gateway to refuse a request (it cannot durably accept without the dispatcher).
    const refusedAtKill = refused;
    await eventually(async () => refused > refusedAtKill, 30_000);
    await Promise.all([platform.startApp('dispatcher'), platform.startApp('worker')]);
    await eventually(async () => accepted.length > killedAfter + 100, 30_000);
    streaming = false;
    await Promise.all(senders);

    expect(killedAfter).toBeGreaterThan(20);
    expect(accepted.length).toBeGreaterThan(killedAfter);
    const drainMs = await platform.allSent(accepted, 120_000);

    const sendsPerText = new Map<string, number>();
    for (const s of telegram.sent) sendsPerText.set(s.text, (sendsPerText.get(s.text) ?? 0) + 1);
    const duplicates = [...sendsPerText.values()].filter((n) => n > 1).length;
    // Reported in the issue notes: accepted, refused while down, duplicates (only possible for sends cut mid-call), drain time.
    process.stdout.write(
      `crash-safety: accepted=${accepted.length} refusedWhileDown=${refused} duplicates=${duplicates} drainMs=${drainMs}\n`,
    );
    const { rows } = await platform.db.query(`SELECT status, count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) GROUP BY status`, [
      accepted,
    ]);
    expect(rows).toEqual([{ status: 'sent', n: accepted.length }]);
    // A duplicate is allowed only for a send whose outcome was lost with the worker (invariant 4): at most the in-flight ones.
    expect(duplicates).toBeLessThanOrEqual(50);
  });
});
