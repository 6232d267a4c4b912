import { AwsError } from './errors.ts';

/**
 * Bedrock Runtime's Converse (REST-JSON `POST /model/{modelId}/converse`, SigV4 service
 * `bedrock`), as the service checks a request and shapes its answer, with a
 * deterministic stand-in for the model: a small keyword table that turns a follow-up
 * question into the JSON search sirbot asks for. It reads only what sirbot sends (the
 * context line and the question line of the last user message), so the path through the
 * model is tested honestly: a request Bedrock would refuse is refused here too.
 */

/** Model ids the fake serves (and their cross-region inference profiles, `us.`/`eu.`/`apac.`). */
export const FAKE_MODELS = new Set(['anthropic.claude-3-5-haiku-20241022-v1:0', 'amazon.nova-micro-v1:0', 'amazon.nova-lite-v1:0']);

const invalid = (message: string) => new AwsError('ValidationException', message, 400);

interface Block {
  text?: unknown;
}

/** The request as Converse validates it: a known model, a conversation starting with the user, alternating, bounded inference settings. */
function checked(modelId: string, input: Record<string, unknown>): string {
  const bare = modelId.replace(/^(?:us|eu|apac|us-gov)\./, '');
  if (!FAKE_MODELS.has(bare)) throw invalid('The provided model identifier is invalid.');
  const messages = input.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    throw invalid('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  let expected = 'user';
  for (const m of messages as Array<{ role?: unknown; content?: unknown }>) {
    if (m.role !== 'user' && m.role !== 'assistant')
      throw invalid(`1 validation error detected: Value '${String(m.role)}' at 'messages.role' failed to satisfy constraint`);
    if (m.role !== expected) throw invalid('A conversation must alternate between user and assistant roles.');
    if (!Array.isArray(m.content) || m.content.length === 0) throw invalid('The content field in the Message object is empty.');
    expected = expected === 'user' ? 'assistant' : 'user';
  }
  const config = (input.inferenceConfig ?? {}) as { maxTokens?: unknown; temperature?: unknown };
  if (config.maxTokens !== undefined && (!Number.isInteger(config.maxTokens) || (config.maxTokens as number) < 1)) {
    throw invalid('The maximum tokens you requested exceeds the model limit or is below 1.');
  }
  if (config.temperature !== undefined && (typeof config.temperature !== 'number' || config.temperature < 0 || config.temperature > 1)) {
    throw invalid('temperature must be between 0 and 1.');
  }
  const last = messages.at(-1) as { role: string; content: Block[] };
  if (last.role !== 'user') throw invalid('A conversation must end with a user message.');
  return last.content.map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n');
}

/** The keyword table: phrases a question may use, and the calls they stand for. */
const CALLS: Array<[RegExp, string[]]> = [
  [/\b(?:console|sign[- ]?ins?|signed in|logged in|log[- ]?ins?)\b/i, ['ConsoleLogin']],
  [/\b(?:new|created?|made)\s+(?:iam\s+)?users?\b|\busers?\s+(?:were\s+)?created\b/i, ['CreateUser']],
  [/\b(?:new|created?|made)\s+(?:access\s+)?keys?\b|\bkeys?\s+(?:were\s+)?created\b/i, ['CreateAccessKey']],
  [/\b(?:launch(?:ed)?|started|new)\s+(?:ec2\s+)?instances?\b|\binstances?\s+(?:were\s+)?(?:launched|started)\b/i, ['RunInstances']],
  [
    /\bpolic(?:y|ies)\b.*\b(?:changed|attached|added)\b|\battached\s+polic|\bpolicy\s+changes?\b/i,
    ['AttachUserPolicy', 'AttachRolePolicy', 'PutUserPolicy', 'PutRolePolicy'],
  ],
  [/\b(?:turn(?:ed)?\s+off|stopp?(?:ed)?|deleted?)\s+(?:the\s+)?(?:cloudtrail|logging|trail)\b/i, ['StopLogging', 'DeleteTrail']],
];
const LEAKED = /\b(?:leaked|stolen|compromised|exposed|bad|suspicious)\s+(?:access\s+)?(?:credentials?|keys?|creds)\b/i;
const WRITE = /^(?:please\s+)?(?:delete|disable|deactivate|remove|revoke|rotate|terminate|stop)\b/i;

/** What the stand-in model answers: the JSON search, as text, as a model would. */
function modelAnswer(prompt: string): string {
  const question = /^Question:\s*(.*)$/m.exec(prompt)?.[1] ?? '';
  const context = (() => {
    try {
      return JSON.parse(/^Context:\s*(.*)$/m.exec(prompt)?.[1] ?? '{}') as { subjects?: Array<{ kind?: string; id?: string }> };
    } catch {
      return {};
    }
  })();
  if (WRITE.test(question)) return JSON.stringify({ answerable: false, reason: 'questions only read CloudTrail' });
  const eventNames = CALLS.filter(([re]) => re.test(question)).flatMap(([, names]) => names);
  const accessKeyIds = LEAKED.test(question)
    ? (context.subjects ?? []).filter((s) => s.kind === 'accessKey' && typeof s.id === 'string').map((s) => s.id as string)
    : [];
  if (eventNames.length === 0 && accessKeyIds.length === 0)
    return JSON.stringify({ answerable: false, reason: 'nothing in the question maps to a CloudTrail search' });
  const search = {
    answerable: true,
    accessKeyIds,
    usernames: [],
    resourceNames: [],
    sourceIps: [],
    eventNames,
    eventSources: [],
    start: null,
    end: null,
    regions: [],
    wants: /^\s*who\b/i.test(question) ? 'principals' : 'events',
  };
  // As models do, it says something around the JSON.
  return `Here is the search:\n${JSON.stringify(search)}`;
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** Converse for one request: the model's answer with Bedrock's stop reason, token usage and latency. */
export function converse(modelId: string, input: Record<string, unknown>): Record<string, unknown> {
  const prompt = checked(modelId, input);
  const system = Array.isArray(input.system) ? (input.system as Block[]).map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n') : '';
  const text = modelAnswer(prompt);
  const inputTokens = tokens(system + prompt);
  const outputTokens = tokens(text);
  return {
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: 1 },
  };
}
