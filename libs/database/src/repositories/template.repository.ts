import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { UUID_PATTERN } from '@app/contracts';
import { TemplateEntity } from '../entities/template.entity';
import { keysetPage, Page, PageRequest } from './keyset-page';
import { insertWithinQuota } from './quota';

const UNIQUE_VIOLATION = '23505';

export type TemplateFields = Pick<TemplateEntity, 'name' | 'content' | 'channel' | 'variables' | 'whatsapp'>;

/** What a write answers when the unique (project, name) constraint refuses it (a race the check before it lost). */
export const NAME_TAKEN = 'name_taken';

function nameTaken(err: Error & { code?: string }): typeof NAME_TAKEN {
  if (err.code === UNIQUE_VIOLATION) return NAME_TAKEN;
  throw err;
}

/** Every query names the project: a template of another project is simply not there. */
@Injectable()
export class TemplateRepository {
  private readonly templates: Repository<TemplateEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.templates = dataSource.getRepository(TemplateEntity);
  }

  /** At most `limit` templates per project (409 quota_exceeded past it). */
  create(projectId: string, fields: TemplateFields, limit: number): Promise<TemplateEntity | typeof NAME_TAKEN> {
    const quota = { name: 'templatesPerProject', limit, owner: { projectId } } as const;
    return insertWithinQuota(this.dataSource, TemplateEntity, quota, fields).catch(nameTaken);
  }

  /**
   * Newest first. Ordered by created_at to the millisecond, the precision a cursor carries, so rows
   * created within one millisecond are neither skipped nor repeated.
   */
  page(projectId: string, page: PageRequest): Promise<Page<TemplateEntity>> {
    const query = this.templates.createQueryBuilder('t').where('t.project_id = :projectId', { projectId });
    return keysetPage(query, "date_trunc('milliseconds', t.created_at)", page);
  }

  findInProject(projectId: string, templateId: string): Promise<TemplateEntity | null> {
    return UUID_PATTERN.test(templateId) ? this.templates.findOneBy({ projectId, id: templateId }) : Promise.resolve(null);
  }

  /** The template a message names (the dispatcher's composer). */
  findByName(projectId: string, name: string): Promise<TemplateEntity | null> {
    return this.templates.findOneBy({ projectId, name });
  }

  nameTaken(projectId: string, name: string): Promise<boolean> {
    return this.templates.existsBy({ projectId, name });
  }

  /** The template as it is after the change (null if it is gone meanwhile). */
  async update(projectId: string, templateId: string, fields: TemplateFields): Promise<TemplateEntity | typeof NAME_TAKEN | null> {
    const refused = await this.templates.update({ projectId, id: templateId }, fields).then(() => null, nameTaken);
    return refused ?? this.findInProject(projectId, templateId);
  }

  async delete(projectId: string, templateId: string): Promise<void> {
    await this.templates.delete({ projectId, id: templateId });
  }
}
