import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import type { FieldError } from '@app/contracts';

function flatten(errors: ValidationError[], path: string): FieldError[] {
  return errors.flatMap((e) => {
    const field = `${path}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Checks a connector's credentials or config against its class; unknown fields are refused by name. */
export function validateSettings(cls: new () => object, value: unknown, path: 'credentials' | 'config'): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: path, message: 'must be an object' }];
  }
  const instance = plainToInstance(cls, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  return flatten(errors, path).map((e) =>
    e.message.startsWith('property ') && e.message.endsWith(' should not exist') ? { field: e.field, message: 'is not a known field' } : e,
  );
}
