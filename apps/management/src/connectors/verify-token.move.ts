import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ChangeChannel } from '@app/contracts';
import { SecretBox } from '@app/crypto';
import { ConnectorRepository, Resealed } from '@app/database';
import { ChangeFeed } from '@app/transport';

/**
 * Moves a WhatsApp connector's `verifyToken` from its config (readable) into its sealed credentials
 * (write-only), for rows saved before it became a credential. Runs when management starts, because
 * only the apps hold MESSAGEJS_ENCRYPTION_KEY (the schema `migrate` job does not); each row moves in
 * its own short transaction under a row lock, so replicas starting together do not collide, and a
 * start with nothing left to move costs one indexed query. Until a row moves, the dispatcher still
 * reads the token from config.
 */
@Injectable()
export class VerifyTokenMove implements OnApplicationBootstrap {
  private readonly logger = new Logger(VerifyTokenMove.name);

  constructor(
    private readonly connectors: ConnectorRepository,
    private readonly box: SecretBox,
    private readonly changes: ChangeFeed,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const moved = await this.run();
    if (moved > 0) this.logger.log(`moved ${moved} WhatsApp verifyToken(s) from config into the encrypted credentials`);
  }

  /** How many connectors it moved. */
  async run(): Promise<number> {
    let moved = 0;
    for (;;) {
      const movedId = await this.connectors.moveVerifyToken((sealed, token) => this.reseal(sealed, token));
      if (movedId === null) return moved;
      // Apps holding the connector drop it and read the credentials afresh.
      await this.changes.publish(ChangeChannel.ConnectorChanged, movedId);
      moved++;
    }
  }

  /** A token already in the credentials wins over the one left in config. */
  private reseal(credentialsSealed: string, token: unknown): Resealed {
    const credentials = JSON.parse(this.box.open(credentialsSealed)) as Record<string, unknown>;
    if (typeof token === 'string' && credentials.verifyToken === undefined) credentials.verifyToken = token;
    const sealed = this.box.seal(JSON.stringify(credentials));
    return { credentialsSealed: sealed, keyVersion: SecretBox.versionOf(sealed) };
  }
}
