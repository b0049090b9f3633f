import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ErrorCode,
  FieldError,
  MAX_TEXT_LENGTH,
  renderTemplate,
  SendMessageCommand,
  templateVariableErrors,
  WhatsAppTemplateSend,
  whatsappParameters,
} from '@app/contracts';
import { recipientProblem } from '@app/connectors';
import { ProjectRepository, TemplateRepository } from '@app/database';
import { BoundedCache } from '@app/transport';
import { ConnectorRef } from './connector-directory';

export interface ComposedMessage {
  body: string;
  subject: string | null;
  whatsappTemplate: WhatsAppTemplateSend | null;
}

const PROJECT_NAME_TTL_MS = 60_000;

/**
 * Turns a send request into what the channel will carry: the text (rendered from a template when
 * one is named), the email subject, the approved WhatsApp template — and refuses, with every field
 * named, what the channel cannot take. Templates are rendered once, at accept time, so a message
 * sends what was accepted even if its template is edited later.
 */
@Injectable()
export class MessageComposer {
  private readonly projectNames = new BoundedCache<Promise<string>>({ max: 50_000, ttlMs: PROJECT_NAME_TTL_MS });

  constructor(
    private readonly projects: ProjectRepository,
    private readonly templates: TemplateRepository,
  ) {}

  async compose(cmd: SendMessageCommand, connector: ConnectorRef): Promise<ComposedMessage> {
    const errors: FieldError[] = [];
    const recipient = recipientProblem(connector.type, cmd.to);
    if (recipient) errors.push({ field: 'to', message: recipient });
    if (cmd.subject !== undefined && connector.type !== 'smtp') errors.push({ field: 'subject', message: 'is only for smtp connectors' });

    let body = cmd.message ?? '';
    let whatsappTemplate: WhatsAppTemplateSend | null = null;
    let textField = 'message';
    if (cmd.template) {
      textField = 'template';
      const template = await this.templates.findByName(cmd.projectId, cmd.template.name);
      if (!template) throw DomainError.validation('template.name', `names no template of this project (${cmd.template.name})`);
      if (template.channel && template.channel !== connector.type) {
        errors.push({ field: 'template.name', message: `is a ${template.channel} template and cannot be sent through ${connector.type}` });
      }
      const rendered = renderTemplate(template.content, cmd.template.variables);
      if (!rendered.ok) {
        errors.push(...templateVariableErrors(rendered));
      } else {
        body = rendered.text;
        if (connector.type === 'whatsapp' && template.whatsapp) {
          const parameters = whatsappParameters(template.content, cmd.template.variables);
          if (parameters.ok) whatsappTemplate = { ...template.whatsapp, parameters: parameters.parameters };
        }
      }
    }
    if (body.length > MAX_TEXT_LENGTH[connector.type]) {
      errors.push({
        field: textField,
        message: `must be at most ${MAX_TEXT_LENGTH[connector.type]} characters for ${connector.type} (got ${body.length})`,
      });
    }
    if (errors.length) throw new DomainError(ErrorCode.ValidationFailed, `${errors[0].field} ${errors[0].message}`, errors);

    const subject = connector.type === 'smtp' ? (cmd.subject ?? (await this.projectName(cmd.projectId))) : null;
    return { body, subject, whatsappTemplate };
  }

  /** The default email subject is the project's name (API.md), cached briefly. */
  private projectName(projectId: string): Promise<string> {
    return this.projectNames.remember(projectId, async () => (await this.projects.nameOf(projectId)) ?? 'Message');
  }
}
