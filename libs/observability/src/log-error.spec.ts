import { QueryFailedError } from 'typeorm';
import { serializeError } from './log-error';

describe('serializeError', () => {
  it('logs a failed query by SQLSTATE, without its SQL, parameters or the message that quotes them', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type uuid: "secret-value"'), {
      code: '22P02',
      routine: 'string_to_uuid',
    });
    const err = new QueryFailedError('SELECT * FROM messages WHERE id = $1', ['secret-value'], driverError);
    const logged = JSON.stringify(serializeError(err));
    expect(logged).toContain('22P02');
    expect(logged).not.toContain('secret-value');
    expect(logged).not.toContain('SELECT');
  });

  it('keeps other errors as pino writes them', () => {
    expect(serializeError(new Error('boom'))).toMatchObject({ type: 'Error', message: 'boom' });
  });
});
