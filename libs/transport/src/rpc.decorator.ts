import { MessagePattern } from '@nestjs/microservices';
import type { RpcPattern } from '@app/contracts';

/** `@MessagePattern` restricted to the patterns of the contract, so a typo fails to compile. */
export const Rpc = (pattern: RpcPattern): MethodDecorator => MessagePattern(pattern);
