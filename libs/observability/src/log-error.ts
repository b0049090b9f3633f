import { stdSerializers } from 'pino';

interface QueryError {
  name?: string;
  stack?: string;
  query: unknown;
  driverError?: { code?: string; routine?: string; table?: string; column?: string; constraint?: string };
}

function isQueryError(err: unknown): err is QueryError {
  return typeof err === 'object' && err !== null && 'query' in err;
}

/**
 * pino's `err` serializer, except for failed queries: TypeORM's error carries the SQL and its
 * parameters (tenant data, maybe secrets) and PostgreSQL's message can quote a parameter, so those
 * are logged by SQLSTATE and location only.
 */
export function serializeError(err: unknown): unknown {
  if (!isQueryError(err)) return err instanceof Error ? stdSerializers.err(err) : err;
  const { code, routine, table, column, constraint } = err.driverError ?? {};
  return {
    type: err.name ?? 'QueryFailedError',
    message: `database query failed (SQLSTATE ${code ?? 'unknown'}; SQL and parameters withheld)`,
    code,
    routine,
    table,
    column,
    constraint,
    stack: err.stack?.split('\n').slice(1).join('\n'),
  };
}
