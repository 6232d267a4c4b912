import type { AwsCall } from '../../domain/actions/aws-call.ts';
import { type CallSummary, type CallValue, callLine, summarizeCall, summarizeCalls } from '../../domain/actions/call-summary.ts';
import { code, escapeText, truncate } from './text.ts';

/**
 * AWS calls as people read them in previews, confirmations and results: one line each,
 * `iam:UpdateAccessKey in 111122223333/us-east-1 on access key AKIA… — UserName ci-deployer
 * · Status Inactive`: the action, where, on what, then the other parameters by name. Values from AWS or a finding go into code spans (escaped, their
 * formatting characters literal); sirbot's own words (an earlier step's answer, the
 * time of the call) are escaped text.
 */

/** Each value is cut to this many characters, so one long note cannot push the rest out. */
const VALUE_MAX = 240;

/** Account ids and regions read as they are; anything else a finding put there is shown as code. */
const plainOr = (v: string) => (/^[a-z0-9-]{1,64}$/i.test(v) ? v : code(v, 64));

function valueMrkdwn(v: CallValue): string {
  return v.kind === 'data' ? code(v.text, VALUE_MAX) : escapeText(truncate(v.text, VALUE_MAX));
}

/** One call in mrkdwn. */
export function callMrkdwn(s: CallSummary): string {
  const target = s.target ? ` on ${s.target.noun} ${s.target.ids.map(valueMrkdwn).join(', ')}` : '';
  const parameters = s.parameters.map((p) => `${escapeText(p.name)} ${valueMrkdwn(p.value)}`).join(' · ');
  return `*${escapeText(s.action)}* in ${plainOr(s.account)}/${plainOr(s.region)}${target}${parameters ? ` — ${parameters}` : ''}`;
}

/** A plan's calls as a numbered list in mrkdwn. */
export function callListMrkdwn(calls: readonly AwsCall[]): string {
  return summarizeCalls(calls)
    .map((s, n) => `${n + 1}. ${callMrkdwn(s)}`)
    .join('\n');
}

/** A plan's calls in plain text (a confirm dialog's text): the same lines, no markup. */
export function callListPlain(calls: readonly AwsCall[]): string {
  return summarizeCalls(calls)
    .map((s, n) => `${n + 1}. ${callLine(s)}`)
    .join('\n');
}

/** What a call was, without its parameters: for the outcome of each call once made. */
export function callHeadMrkdwn(call: AwsCall): string {
  const s = summarizeCall(call);
  const target = s.target ? ` on ${s.target.noun} ${s.target.ids.map(valueMrkdwn).join(', ')}` : '';
  return `*${escapeText(s.action)}*${target}`;
}
