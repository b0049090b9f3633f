import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { ConnectorLoader, ConnectorRegistry } from '@app/connectors';
import { secretBoxProvider } from '@app/crypto';
import { DatabaseModule } from '@app/database';
import { LoggerModule } from '@app/observability';
import { TransportModule } from '@app/transport';
import { SendMetrics } from './send/send.metrics';
import { ConnectorThrottle } from './send/connector-throttle';
import { OutcomeReporter } from './send/outcome-reporter';
import { SendProcessor } from './send/send.processor';
import { SendWorkers } from './send/send.workers';

@Module({
  imports: [ConfigModule, LoggerModule.forApp('worker'), DatabaseModule, TransportModule],
  providers: [
    ConnectorRegistry,
    ConnectorLoader,
    secretBoxProvider,
    SendProcessor,
    SendWorkers,
    SendMetrics,
    OutcomeReporter,
    ConnectorThrottle,
  ],
})
export class WorkerModule {}
