import { Param, ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@app/contracts';

/** A path id that is not a UUID names nothing: 404, like any unknown id. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound(name.replace(/Id$/, '')) }));
