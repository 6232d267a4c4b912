import type { Plan, Remediation, RemediationInputs } from './remediation.ts';
import { describeInstance, ec2, failed, inAccount, inInstance, inRegion, instanceOf } from './calls.ts';

/**
 * Requiring IMDSv2 on an instance (EC2 ModifyInstanceMetadataOptions `HttpTokens=required`):
 * the metadata service then answers only requests that first PUT for a session token,
 * which a server-side request forgery or an open proxy on the instance cannot send, so
 * its role credentials can no longer be taken that way. Undo sets back what
 * DescribeInstances reported (`optional`).
 */

/** EC2 modifies metadata options on running or stopped instances; these are going or gone. */
const GONE = new Set(['shutting-down', 'terminated']);

function plan(i: RemediationInputs, answers: unknown[]): Plan | { error: string } {
  const id = i.instanceId as string;
  const problem = failed(answers[0]);
  if (problem) return { error: `could not describe ${id}: ${problem}` };
  const instance = instanceOf(answers[0]);
  if (!instance) return { error: `instance ${id} was not found in ${i.account}/${i.region}` };
  const state = instance.State?.Name;
  if (state && GONE.has(state)) return { error: `instance ${id} is ${state}` };
  const options = instance.MetadataOptions ?? {};
  if (options.HttpTokens === 'required') return { error: `instance ${id} already requires IMDSv2` };
  const set = (tokens: string) => ec2(i, 'ModifyInstanceMetadataOptions', { InstanceId: id, HttpTokens: tokens });
  const notes = [
    'Software on the instance that reads metadata without a session token (IMDSv1: old SDKs and agents, scripts calling curl) loses access to it, role credentials included.',
  ];
  const hops = options.HttpPutResponseHopLimit;
  if (hops !== undefined && hops < 2)
    notes.push(`The hop limit is ${hops}: containers that reach the metadata service through a bridge network need 2 with IMDSv2.`);
  if (options.HttpEndpoint === 'disabled') notes.push('The metadata endpoint is disabled: the setting applies once it is enabled.');
  if (state === 'stopped') notes.push('The instance is stopped: EC2 applies the setting when it starts.');
  notes.push(
    options.HttpTokens === 'optional'
      ? 'Undo sets HttpTokens back to optional.'
      : 'DescribeInstances did not say whether IMDSv1 was allowed, so undo is a manual step.',
  );
  return {
    calls: [set('required')],
    undo: options.HttpTokens === 'optional' ? [set('optional')] : null,
    notes,
  };
}

export const enforceImdsV2: Remediation = {
  id: 'enforce-imdsv2',
  title: 'Enforce IMDSv2',
  effect: "Sets the instance's metadata options to HttpTokens=required: metadata, role credentials included, only for requests with a session token.",
  inputs: [inAccount, inRegion, inInstance],
  role: 'responder',
  // One instance, undone by one call, and what AWS recommends for every instance.
  secondApprover: false,
  reads: (i) => [describeInstance(i)],
  plan,
  idempotencyKey: (i) => `enforce-imdsv2:${i.account}:${i.region}:${i.instanceId}`,
};
