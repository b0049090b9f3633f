import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeChannel } from '@app/contracts';
import { SecretBox } from '@app/crypto';
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
    @Inject(DataSource) private readonly dataSource: DataSource,
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
      const movedId = await this.dataSource.transaction(async (manager) => {
        const rows: Array<{ id: string; token: unknown; credentials_sealed: string }> = await manager.query(
          `SELECT id, config->'verifyToken' AS token, credentials_sealed FROM connectors
            WHERE type = 'whatsapp' AND config ? 'verifyToken' LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (rows.length === 0) return null;
        const [row] = rows;
        const credentials = JSON.parse(this.box.open(row.credentials_sealed)) as Record<string, unknown>;
        if (typeof row.token === 'string' && credentials.verifyToken === undefined) credentials.verifyToken = row.token;
        const sealed = this.box.seal(JSON.stringify(credentials));
        await manager.query(
          `UPDATE connectors SET config = config - 'verifyToken', credentials_sealed = $2, key_version = $3, updated_at = now() WHERE id = $1`,
          [row.id, sealed, SecretBox.versionOf(sealed)],
        );
        return row.id;
      });
      if (movedId === null) return moved;
      // Apps holding the connector drop it and read the credentials afresh.
      await this.changes.publish(ChangeChannel.ConnectorChanged, movedId);
      moved++;
    }
  }
}
