import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Idempotency-Key rides with the message, unique per project, so a retried accept finds the first one. */
export class MessageIdempotencyKey1764576000000 implements MigrationInterface {
  name = 'MessageIdempotencyKey1764576000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" ADD "idempotency_key" text`);
    await q.query(`ALTER TABLE "messages" ADD "request_fingerprint" text`);
    await q.query(
      `CREATE UNIQUE INDEX "messages_idempotency" ON "messages" ("project_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."messages_idempotency"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "request_fingerprint"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "idempotency_key"`);
  }
}
