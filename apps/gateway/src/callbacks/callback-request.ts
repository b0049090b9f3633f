import type { Request } from 'express';
import { twilioStatusCallbackUrl } from '@app/connectors';

/**
 * The URL Twilio signed: the StatusCallback the connector gave it, built from PUBLIC_URL, since
 * behind a proxy the request's own host and scheme are not the ones Twilio called. Without
 * PUBLIC_URL, the URL this request came to.
 */
export function twilioSignedUrl(
  publicUrl: string | undefined,
  connectorId: string,
  req: Pick<Request, 'protocol' | 'originalUrl' | 'get'>,
): string {
  if (publicUrl) return twilioStatusCallbackUrl(publicUrl, connectorId);
  return `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
}

/** The form parameters of a urlencoded body; anything but a single string value cannot be signed by Twilio. */
export function formParams(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return {};
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** A header or query value as one string; repeated ones are refused rather than guessed at. */
export function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
