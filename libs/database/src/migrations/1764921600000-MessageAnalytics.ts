import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated from the analytics entities (schema builder log), reviewed: hourly rollups of status
 * counts, latency histograms and error codes, kept as statuses move; and messages.failed_at, so a
 * message that fails, is retried and fails again counts as failed once. Failed messages of before
 * get their last change as failed_at. History before this migration reaches the rollups with
 * `node dist/apps/dispatcher/main.js rebuild-analytics`.
 */
export class MessageAnalytics1764921600000 implements MigrationInterface {
  name = 'MessageAnalytics1764921600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "message_errors_hourly" ("project_id" uuid NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "connector_id" uuid NOT NULL, "code" text NOT NULL, "connector_type" text NOT NULL, "count" integer NOT NULL DEFAULT '0', "last_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_aa63e02852a58af1c1d0134c659" PRIMARY KEY ("project_id", "hour", "connector_id", "code"))`,
    );
    await q.query(
      `CREATE TABLE "message_latency_hourly" ("project_id" uuid NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "connector_id" uuid NOT NULL, "bucket" smallint NOT NULL, "connector_type" text NOT NULL, "count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_a67a1adbba1958362099f67c479" PRIMARY KEY ("project_id", "hour", "connector_id", "bucket"))`,
    );
    await q.query(
      `CREATE TABLE "message_stats_hourly" ("project_id" uuid NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "connector_id" uuid NOT NULL, "connector_type" text NOT NULL, "queued" integer NOT NULL DEFAULT '0', "sent" integer NOT NULL DEFAULT '0', "delivered" integer NOT NULL DEFAULT '0', "read" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_aeb16ede4221264cbf4b3ab732f" PRIMARY KEY ("project_id", "hour", "connector_id"))`,
    );
    await q.query(`ALTER TABLE "messages" ADD "failed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`UPDATE "messages" SET "failed_at" = "updated_at" WHERE "status" = 'failed'`);
    await q.query(
      `ALTER TABLE "message_errors_hourly" ADD CONSTRAINT "FK_8a17f155079c628f732fc116e4c" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "message_latency_hourly" ADD CONSTRAINT "FK_c675e495ef06d20fa8c28df6480" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "message_stats_hourly" ADD CONSTRAINT "FK_5c6ac653ef2ca585c5cbe62c57b" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "message_stats_hourly" DROP CONSTRAINT "FK_5c6ac653ef2ca585c5cbe62c57b"`);
    await q.query(`ALTER TABLE "message_latency_hourly" DROP CONSTRAINT "FK_c675e495ef06d20fa8c28df6480"`);
    await q.query(`ALTER TABLE "message_errors_hourly" DROP CONSTRAINT "FK_8a17f155079c628f732fc116e4c"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "failed_at"`);
    await q.query(`DROP TABLE "message_stats_hourly"`);
    await q.query(`DROP TABLE "message_latency_hourly"`);
    await q.query(`DROP TABLE "message_errors_hourly"`);
  }
}
