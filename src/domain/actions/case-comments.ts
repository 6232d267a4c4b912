import { CASE_LIMITS } from './case-draft.ts';

/**
 * Comments sirbot writes on a case end with a signature line naming who they come from
 * ("— Alice (U0ALICE) in Slack, via sirbot"). Security IR's comment events carry no
 * comment id, so the thread learns of new comments by listing them: the signature is how
 * a comment sirbot wrote is told apart and not echoed back into the thread it came from,
 * however the listing and the write interleave. Someone forging it only hides their own
 * comment from the thread (it stays on the case).
 */
const SIGNATURE_END = ', via sirbot';
const SIGNED = /\n\n— [^\n]{1,300}, via sirbot$/;

/** `body` with its signature, cut so the whole fits the service's comment limit. */
export function signComment(body: string, from: string): string {
  const signature = `\n\n— ${from.replace(/\s+/g, ' ').slice(0, 200)}${SIGNATURE_END}`;
  const room = CASE_LIMITS.comment - signature.length;
  const text = body.length > room ? `${body.slice(0, room - 1)}…` : body;
  return `${text}${signature}`;
}

export function isSignedBySirbot(body: string): boolean {
  return SIGNED.test(body);
}

/** Room the signature may take, for text split into several comments before it is signed. */
export const SIGNATURE_ROOM = 220;

/** Security IR takes attachment names of `[a-zA-Z0-9._-]`, 1 to 255 characters: anything else becomes `_`. */
export function attachmentName(name: string): string {
  const clean = name
    .replace(/[^a-zA-Z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 255);
  return clean === '' ? 'attachment' : clean;
}

/** The most a case attachment may hold (GetCaseAttachmentUploadUrl's contentLength). */
export const MAX_ATTACHMENT_BYTES = 104_857_600;
