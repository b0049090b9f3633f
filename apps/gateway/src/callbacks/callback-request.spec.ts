import { formParams, single, twilioSignedUrl } from './callback-request';

const ID = '11111111-1111-4111-8111-111111111111';
const request = (host: string, protocol = 'http') => ({
  protocol,
  originalUrl: `/api/v1/callbacks/twilio/${ID}`,
  get: ((name: string) => (name.toLowerCase() === 'host' ? host : undefined)) as never,
});

describe('twilioSignedUrl', () => {
  it('is the PUBLIC_URL-based StatusCallback when PUBLIC_URL is set, whatever host the request came to', () => {
    expect(twilioSignedUrl('https://api.example.com/', ID, request('10.0.0.7:3000'))).toBe(
      `https://api.example.com/api/v1/callbacks/twilio/${ID}`,
    );
  });

  it("is the request's own URL without PUBLIC_URL", () => {
    expect(twilioSignedUrl(undefined, ID, request('127.0.0.1:3000'))).toBe(`http://127.0.0.1:3000/api/v1/callbacks/twilio/${ID}`);
    expect(twilioSignedUrl(undefined, ID, request('hooks.example.com', 'https'))).toBe(
      `https://hooks.example.com/api/v1/callbacks/twilio/${ID}`,
    );
  });
});

describe('formParams', () => {
  it('keeps single string values only', () => {
    expect(formParams({ MessageSid: 'SM1', Repeated: ['a', 'b'] })).toEqual({ MessageSid: 'SM1' });
    expect(formParams(undefined)).toEqual({});
    expect(formParams(Buffer.from('x=1'))).toEqual({});
  });
});

describe('single', () => {
  it('reads a header or query value only when it is one string', () => {
    expect(single('x')).toBe('x');
    expect(single(['x', 'y'])).toBeUndefined();
  });
});
