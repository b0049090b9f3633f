import { callbackUrlFor } from './callback-url';

describe('callbackUrlFor', () => {
  const id = '0b8a5c1e-2f4d-4c3b-9a7e-6d5f4e3c2b1a';
  it.each([
    ['twilio', 'https://api.example.com', `https://api.example.com/api/v1/callbacks/twilio/${id}`],
    ['whatsapp', 'https://api.example.com/', `https://api.example.com/api/v1/callbacks/whatsapp/${id}`],
    ['telegram', 'https://api.example.com', null],
    ['smtp', 'https://api.example.com', null],
    ['twilio', undefined, null],
  ] as const)('%s with PUBLIC_URL %s → %s', (type, publicUrl, expected) => {
    expect(callbackUrlFor(type, id, publicUrl)).toBe(expected);
  });
});
