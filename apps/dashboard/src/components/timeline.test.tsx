import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../api/types';
import { Timeline, providerSummary } from './timeline';

const EVENTS: MessageEvent[] = [
  { status: 'queued', at: '2026-11-30T09:00:00.000Z' },
  {
    status: 'sending',
    at: '2026-11-30T09:00:01.000Z',
    attempt: 1,
    code: '500',
    detail: 'retrying in 1 s',
    provider: { httpStatus: 500, code: '500', message: 'Internal Server Error' },
  },
  { status: 'sending', at: '2026-11-30T09:00:02.000Z', attempt: 2, provider: { code: 'network', message: 'Could not reach Telegram' } },
  { status: 'sent', at: '2026-11-30T09:00:03.000Z', attempt: 3 },
];

describe('the message timeline', () => {
  it('lists every event oldest first with its attempt and time', () => {
    render(<Timeline events={EVENTS} />);
    const items = within(screen.getByRole('list', { name: 'Timeline' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^queued/),
      expect.stringMatching(/^sendingattempt 1/),
      expect.stringMatching(/^sendingattempt 2/),
      expect.stringMatching(/^sentattempt 3/),
    ]);
    expect(items[1].querySelector('time')!.getAttribute('datetime')).toBe('2026-11-30T09:00:01.000Z');
  });

  it("shows each failed attempt's provider outcome and detail", () => {
    render(<Timeline events={EVENTS} />);
    expect(screen.getByText('Provider: HTTP 500 · code 500 · Internal Server Error')).toBeTruthy();
    expect(screen.getByText('Provider: code network · Could not reach Telegram')).toBeTruthy();
    expect(screen.getByText('retrying in 1 s')).toBeTruthy();
    expect(providerSummary(EVENTS[3])).toBeNull();
  });

  it('says so when nothing happened yet', () => {
    render(<Timeline events={[]} />);
    expect(screen.getByText('No events recorded yet.')).toBeTruthy();
  });
});
