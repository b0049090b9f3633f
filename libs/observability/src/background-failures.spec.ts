import type { LoggerService } from '@nestjs/common';
import { register } from 'prom-client';
import { logBackgroundFailure, recordBackgroundFailure } from './background-failures';

function recordingLogger(): LoggerService & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  return { warnings, log: () => undefined, error: () => undefined, warn: (...args: unknown[]) => void warnings.push(args) };
}

async function counted(step: string): Promise<number> {
  const metric = await register.getSingleMetric('messagejs_background_failures_total')!.get();
  return metric.values.find((v) => v.labels.step === step)?.value ?? 0;
}

describe('background failures', () => {
  it('logs the message ids and the reason, and counts the failure by step', async () => {
    const logger = recordingLogger();
    const before = await counted('status-event');
    recordBackgroundFailure(logger, 'status-event', new Error('READONLY'), { messageIds: ['m1', 'm2'] }, 2);
    expect(logger.warnings).toEqual([
      [{ step: 'status-event', messageIds: ['m1', 'm2'], reason: 'READONLY' }, 'background step status-event failed: READONLY'],
    ]);
    expect(await counted('status-event')).toBe(before + 2);
  });

  it('settles a caught promise once the failure is logged and counted', async () => {
    const logger = recordingLogger();
    const before = await counted('send-enqueue');
    await Promise.reject(new Error('Connection is closed.')).catch(logBackgroundFailure(logger, 'send-enqueue', { messageId: 'm3' }));
    expect(logger.warnings[0][0]).toEqual({ step: 'send-enqueue', messageId: 'm3', reason: 'Connection is closed.' });
    expect(await counted('send-enqueue')).toBe(before + 1);
  });

  it('is on the default registry that /metrics serves', async () => {
    expect(await register.metrics()).toContain('# TYPE messagejs_background_failures_total counter');
  });
});
