import { Injectable } from '@nestjs/common';
import type { ConnectorType } from '@app/contracts';
import type { Connector, ConnectorContext, ConnectorFactory } from './connector.interface';
import { SmtpConfig, SmtpConnector, SmtpCredentials } from './smtp';
import { TelegramConfig, TelegramConnector, TelegramCredentials } from './telegram';
import { TwilioConfig, TwilioConnector, TwilioCredentials } from './twilio';
import { WhatsAppConfig, WhatsAppConnector, WhatsAppCredentials } from './whatsapp';

/** A class-validator class the API validates credentials or config against. */
export type ValidatedClass<T extends object = object> = new () => T;

/** Everything the platform knows about one connector type. */
export interface ConnectorDefinition extends ConnectorFactory<object, object> {
  readonly credentialsClass: ValidatedClass;
  readonly configClass: ValidatedClass;
  /** Whether the connector implements `getStatus` (read off its class, so the two cannot disagree). */
  readonly statusLookup: boolean;
}

/** Ties the validated classes to the factory so `create` receives exactly what they describe. */
function defineConnector<K extends object, C extends object>(
  type: ConnectorType,
  credentialsClass: ValidatedClass<K>,
  configClass: ValidatedClass<C>,
  connectorClass: { prototype: Connector },
  create: (credentials: K, config: C, context: ConnectorContext) => Connector,
): ConnectorDefinition {
  return {
    type,
    credentialsClass,
    configClass,
    statusLookup: typeof connectorClass.prototype.getStatus === 'function',
    create: (credentials, config, context) => create(credentials as K, config as C, context),
  };
}

// One line per connector type.
const DEFINITIONS: readonly ConnectorDefinition[] = [
  defineConnector(
    'telegram',
    TelegramCredentials,
    TelegramConfig,
    TelegramConnector,
    (k, c, ctx) => new TelegramConnector(k, c, { outbound: ctx.outbound }),
  ),
  defineConnector('whatsapp', WhatsAppCredentials, WhatsAppConfig, WhatsAppConnector, (k, c, ctx) => new WhatsAppConnector(k, c, ctx)),
  defineConnector('twilio', TwilioCredentials, TwilioConfig, TwilioConnector, (k, c, ctx) => new TwilioConnector(k, c, ctx)),
  defineConnector('smtp', SmtpCredentials, SmtpConfig, SmtpConnector, (k, c, ctx) => new SmtpConnector(k, c, ctx)),
];

/**
 * Builds a Connector from decrypted credentials and config. Callers validate both against
 * `credentialsClass(type)` / `configClass(type)` when they are written; the registry trusts them.
 */
@Injectable()
export class ConnectorRegistry {
  private readonly definitions = new Map<ConnectorType, ConnectorDefinition>();

  constructor() {
    for (const definition of DEFINITIONS) {
      if (this.definitions.has(definition.type)) throw new Error(`Connector type ${definition.type} is defined twice`);
      this.definitions.set(definition.type, definition);
    }
  }

  create(type: ConnectorType, credentials: object, config: object | null | undefined, context: ConnectorContext): Connector {
    return this.definition(type).create(credentials, config ?? {}, context);
  }

  credentialsClass(type: ConnectorType): ValidatedClass {
    return this.definition(type).credentialsClass;
  }

  configClass(type: ConnectorType): ValidatedClass {
    return this.definition(type).configClass;
  }

  supportedTypes(): ConnectorType[] {
    return [...this.definitions.keys()];
  }

  /** The types whose provider can be asked about one message (their connectors have `getStatus`). */
  statusLookupTypes(): ConnectorType[] {
    return [...this.definitions.values()].filter((d) => d.statusLookup).map((d) => d.type);
  }

  private definition(type: ConnectorType): ConnectorDefinition {
    const definition = this.definitions.get(type);
    if (!definition) throw new Error(`No connector is available for type ${String(type)}`);
    return definition;
  }
}
