import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { checkKeyRules, keyRulesBody, parseOrigins } from './api-key-form';
import { fieldErrors } from './ui';

describe('a public key’s rules', () => {
  it('reads origins one per line, or separated by commas and spaces', () => {
    expect(parseOrigins('https://a.example\n https://b.example, http://localhost:3000 ')).toEqual([
      'https://a.example',
      'https://b.example',
      'http://localhost:3000',
    ]);
  });

  it('names the field the browser can already tell is wrong', () => {
    expect(checkKeyRules({ origins: 'https://ok.example\nshop.example.com', dailyLimit: '0' }, false)).toEqual({
      allowedOrigins: '“shop.example.com” is not an origin like https://shop.example.com',
      dailyLimit: 'Enter a whole number of messages, at least 1',
    });
    expect(checkKeyRules({ origins: '', dailyLimit: '' }, false)).toEqual({});
    expect(checkKeyRules({ origins: '', dailyLimit: '' }, true)).toHaveProperty('dailyLimit');
    expect(checkKeyRules({ origins: 'ftp://files.example', dailyLimit: '2.5' }, true)).toEqual({
      allowedOrigins: expect.stringContaining('ftp://files.example') as unknown,
      dailyLimit: expect.any(String) as unknown,
    });
  });

  it('leaves an empty cap out of the request', () => {
    expect(keyRulesBody({ origins: 'https://a.example', dailyLimit: ' ' })).toEqual({ allowedOrigins: ['https://a.example'] });
    expect(keyRulesBody({ origins: '', dailyLimit: '500' })).toEqual({ allowedOrigins: [], dailyLimit: 500 });
  });

  it('puts each of the API’s 422 errors on its own field', () => {
    const problem = new ApiError({
      status: 422,
      detail: 'dailyLimit must not be greater than 1000000',
      errors: [
        { field: 'dailyLimit', message: 'must not be greater than 1000000' },
        { field: 'allowedOrigins.1', message: 'must be origins like https://example.com' },
      ],
    });
    expect(fieldErrors(problem)).toEqual({
      dailyLimit: 'must not be greater than 1000000',
      allowedOrigins: 'must be origins like https://example.com',
    });
    expect(fieldErrors(new Error('offline'))).toEqual({});
  });
});
