import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError } from '@app/contracts';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) =>
      message === `property ${e.property} should not exist`
        ? { field, message: 'is not a known field' }
        : { field, message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message },
    );
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation for every route: unknown fields are refused by name, failures are 422 problems. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const first = fields[0];
      return new DomainError(ErrorCode.ValidationFailed, first ? `${first.field} ${first.message}` : 'the request is invalid', fields);
    },
  });
}
