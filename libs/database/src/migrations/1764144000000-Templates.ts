import { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from TemplateEntity (schema builder log), reviewed: templates, unique per project by name. */
export class Templates1764144000000 implements MigrationInterface {
  name = 'Templates1764144000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "name" text NOT NULL, "content" text NOT NULL, "channel" text, "variables" text array NOT NULL, "whatsapp" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "templates_project_name" UNIQUE ("project_id", "name"), CONSTRAINT "PK_515948649ce0bbbe391de702ae5" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `ALTER TABLE "templates" ADD CONSTRAINT "FK_54e5c9fc0c740b2bd65f0160b5a" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "templates" DROP CONSTRAINT "FK_54e5c9fc0c740b2bd65f0160b5a"`);
    await q.query(`DROP TABLE "templates"`);
  }
}
