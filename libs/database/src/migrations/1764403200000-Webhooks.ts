import { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from the webhook entities (schema builder log), reviewed: endpoints per project, and one row per delivery attempt. */
export class Webhooks1764403200000 implements MigrationInterface {
  name = 'Webhooks1764403200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "url" text NOT NULL, "events" text array NOT NULL, "secret_sealed" text NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "disabled_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "webhook_endpoints_project" ON "webhook_endpoints" ("project_id") `);
    await q.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "endpoint_id" uuid NOT NULL, "project_id" uuid NOT NULL, "message_id" uuid NOT NULL, "event_type" text NOT NULL, "webhook_id" text NOT NULL, "payload" jsonb NOT NULL, "attempt" integer NOT NULL, "status" text NOT NULL, "response_status" integer, "duration_ms" integer, "error" text, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_deliveries_attempt" UNIQUE ("endpoint_id", "webhook_id", "attempt"), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "webhook_deliveries_endpoint_page" ON "webhook_deliveries" ("endpoint_id", "created_at", "id") `);
    await q.query(
      `ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "FK_0ab4ea705a813fdebcc2b12ef2f" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c"`);
    await q.query(`ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "FK_0ab4ea705a813fdebcc2b12ef2f"`);
    await q.query(`DROP INDEX "public"."webhook_deliveries_endpoint_page"`);
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP INDEX "public"."webhook_endpoints_project"`);
    await q.query(`DROP TABLE "webhook_endpoints"`);
  }
}
