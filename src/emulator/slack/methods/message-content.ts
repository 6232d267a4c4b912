import { validateBlocks } from '../block-kit.ts';
import type { EmulatedMessage } from '../workspace.ts';
import { fail, jsonArg, type Answer, type Args } from './method.ts';

export const MAX_TEXT_LENGTH = 40_000;

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** `blocks` as Slack takes them: a JSON array that passes Block Kit validation. */
export function parseBlocks(args: Args): { blocks?: unknown[] } | Answer {
  const { value, malformed } = jsonArg(args, 'blocks');
  if (malformed || (value !== undefined && !Array.isArray(value))) return fail('invalid_blocks_format');
  if (value === undefined) return {};
  const problems = validateBlocks(value, 'message');
  if (problems.length > 0) {
    return fail('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
  }
  return { blocks: value as unknown[] };
}

/** Text, blocks and attachments of a post or update, or the error Slack gives for them. */
export function messageContent(args: Args): MessageContent | Answer {
  const parsed = parseBlocks(args);
  if ('ok' in parsed) return parsed;
  const attachments = jsonArg(args, 'attachments');
  if (attachments.malformed || (attachments.value !== undefined && !Array.isArray(attachments.value))) return fail('invalid_attachments');
  const text = typeof args.text === 'string' ? args.text : undefined;
  const hasAttachments = Array.isArray(attachments.value) && attachments.value.length > 0;
  if (!text && !parsed.blocks?.length && !hasAttachments) return fail('no_text');
  if (text && text.length > MAX_TEXT_LENGTH) return fail('msg_too_long');
  return {
    ...(text !== undefined ? { text } : {}),
    ...(parsed.blocks ? { blocks: parsed.blocks } : {}),
    ...(hasAttachments ? { attachments: attachments.value as unknown[] } : {}),
  };
}

/** A stored message as the Web API shows it: without the emulator's channel bookkeeping. */
export function publicMessage(m: EmulatedMessage): Record<string, unknown> {
  const { channel: _channel, ...rest } = m;
  return { type: 'message', ...rest };
}
