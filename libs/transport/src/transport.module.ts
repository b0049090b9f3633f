import { Global, Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { RpcClient } from './rpc-client';

@Global()
@Module({ providers: [RpcClient, ChangeFeed], exports: [RpcClient, ChangeFeed] })
export class TransportModule {}
