import { AwsError } from './errors.ts';
import { ec2Response, el, instanceIn, metadataOptionsOf, renderMetadataOptions, required, type Ec2MetadataOptions, type Ec2Region } from './ec2.ts';

/**
 * ModifyInstanceMetadataOptions as EC2 answers it: parameters not given keep their
 * value; a running instance's change answers `pending` and shows `applied` in later
 * describes, a stopped instance's stays `pending` until it starts (EC2 API Reference).
 */

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
/** EC2 changes metadata options on running or stopped instances; these are going or gone. */
const GONE = new Set(['shutting-down', 'terminated']);

function oneOf<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. Valid values are: ${allowed.join(', ')}`, 400);
  return value as T;
}

function hopLimit(params: URLSearchParams): number | undefined {
  const value = params.get('HttpPutResponseHopLimit');
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${value}) for parameter HttpPutResponseHopLimit is invalid. Possible values: integers from 1 to 64`,
      400,
    );
  return n;
}

export function modifyInstanceMetadataOptions(here: Ec2Region, params: URLSearchParams): string {
  const id = required(params, 'InstanceId');
  if (!INSTANCE_ID.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
  const changes: Partial<Ec2MetadataOptions> = {};
  const tokens = oneOf(params, 'HttpTokens', ['optional', 'required'] as const);
  const hops = hopLimit(params);
  const endpoint = oneOf(params, 'HttpEndpoint', ['enabled', 'disabled'] as const);
  const ipv6 = oneOf(params, 'HttpProtocolIpv6', ['enabled', 'disabled'] as const);
  const tags = oneOf(params, 'InstanceMetadataTags', ['enabled', 'disabled'] as const);
  if (tokens) changes.HttpTokens = tokens;
  if (hops !== undefined) changes.HttpPutResponseHopLimit = hops;
  if (endpoint) changes.HttpEndpoint = endpoint;
  if (ipv6) changes.HttpProtocolIpv6 = ipv6;
  if (tags) changes.InstanceMetadataTags = tags;
  const instance = instanceIn(here, id);
  const state = instance.State?.Name ?? 'running';
  if (GONE.has(state)) throw new AwsError('IncorrectInstanceState', `The instance '${id}' is in an incorrect state for the requested action (${state}).`, 400);
  if (params.get('DryRun') === 'true') throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  const next = { ...metadataOptionsOf(instance), ...changes };
  // The fake applies a running instance's change at once; a stopped one's waits for a start.
  instance.MetadataOptions = { ...next, State: state === 'stopped' ? 'pending' : 'applied' };
  return ec2Response(
    'ModifyInstanceMetadataOptions',
    `${el('instanceId', id)}<instanceMetadataOptions>${renderMetadataOptions({ ...next, State: 'pending' })}</instanceMetadataOptions>`,
  );
}
