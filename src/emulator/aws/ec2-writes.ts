import { randomBytes } from 'node:crypto';
import { AwsError } from './errors.ts';
import {
  ec2Response,
  el,
  groupNotFound,
  instanceIn,
  listParam,
  required,
  tagSet,
  items,
  type Ec2IpPermission,
  type Ec2Region,
  type Ec2Snapshot,
  type Ec2State,
  type Ec2Tag,
} from './ec2.ts';
import { modifyInstanceMetadataOptions } from './ec2-metadata-options.ts';

/**
 * The EC2 writes remediations make (quarantine: CreateSecurityGroup,
 * RevokeSecurityGroupEgress, ModifyInstanceAttribute; forensics: CreateSnapshots;
 * IMDSv2: ModifyInstanceMetadataOptions, in ./ec2-metadata-options.ts), applied to the
 * scenario's EC2 state in place so later describes see them.
 * VPCs are not modelled apart: a VPC exists if an instance or group names it.
 */

const WRITES = new Set(['ModifyInstanceAttribute', 'CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'CreateSnapshots', 'ModifyInstanceMetadataOptions']);

/** EC2 resource ids: a prefix and 17 hex digits. */
const newId = (prefix: string) => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;

/** `TagSpecification.N.ResourceType` / `.Tag.M.Key|Value`: the tags meant for `resourceType`. */
function tagsFor(params: URLSearchParams, resourceType: string): Ec2Tag[] {
  const out: Ec2Tag[] = [];
  for (let n = 1; params.has(`TagSpecification.${n}.ResourceType`); n++) {
    if (params.get(`TagSpecification.${n}.ResourceType`) !== resourceType) continue;
    for (let m = 1; params.has(`TagSpecification.${n}.Tag.${m}.Key`); m++) {
      out.push({ Key: params.get(`TagSpecification.${n}.Tag.${m}.Key`) as string, Value: params.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '' });
    }
  }
  return out;
}

/** `IpPermissions.N.IpProtocol|FromPort|ToPort|IpRanges.M.CidrIp`, as the SDK serializes them. */
function permissionsParam(params: URLSearchParams): Ec2IpPermission[] {
  const out: Ec2IpPermission[] = [];
  for (let n = 1; params.has(`IpPermissions.${n}.IpProtocol`); n++) {
    const p = `IpPermissions.${n}`;
    const port = (k: string) => (params.has(`${p}.${k}`) ? Number(params.get(`${p}.${k}`)) : undefined);
    const cidrs: string[] = [];
    for (let m = 1; params.has(`${p}.IpRanges.${m}.CidrIp`); m++) cidrs.push(params.get(`${p}.IpRanges.${m}.CidrIp`) as string);
    out.push({
      IpProtocol: params.get(`${p}.IpProtocol`) as string,
      FromPort: port('FromPort'),
      ToPort: port('ToPort'),
      IpRanges: cidrs.map((CidrIp) => ({ CidrIp })),
    });
  }
  return out;
}

/** EC2 takes protocol names or numbers, and "-1" for all; rules match on the normalized one. */
function protocol(p: string): string {
  const names: Record<string, string> = { all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp' };
  return names[p.toLowerCase()] ?? p.toLowerCase();
}

const sameRule = (a: Ec2IpPermission, b: Ec2IpPermission) =>
  protocol(a.IpProtocol) === protocol(b.IpProtocol) && (protocol(a.IpProtocol) === '-1' || (a.FromPort === b.FromPort && a.ToPort === b.ToPort));

function vpcsOf(here: Ec2Region): Set<string> {
  return new Set([...(here.instances ?? []).map((i) => i.VpcId), ...(here.securityGroups ?? []).map((g) => g.VpcId)].filter((v): v is string => Boolean(v)));
}

/** Answers an EC2 write, or null when `action` is not one (the reads answer it). */
export function ec2Write(state: Ec2State, account: string, region: string, action: string, params: URLSearchParams, now: number): string | null {
  if (!WRITES.has(action)) return null;
  // Every write needs an instance or VPC already there, so an empty region is never written to.
  const here = state.accounts[account]?.[region] ?? {};
  here.securityGroups ??= [];
  const groups = here.securityGroups;
  switch (action) {
    case 'ModifyInstanceMetadataOptions':
      return modifyInstanceMetadataOptions(here, params);
    case 'ModifyInstanceAttribute': {
      const instance = instanceIn(here, required(params, 'InstanceId'));
      const ids = listParam(params, 'GroupId');
      if (ids.length === 0)
        throw new AwsError('UnsupportedOperation', 'The fake EC2 serves ModifyInstanceAttribute only to replace security groups (GroupId.N)', 400);
      const chosen = ids.map((id) => {
        const g = groups.find((x) => x.GroupId === id);
        if (!g) throw groupNotFound(id);
        if (instance.VpcId && g.VpcId && g.VpcId !== instance.VpcId) {
          throw new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${instance.VpcId}'`, 400);
        }
        return { GroupId: g.GroupId, ...(g.GroupName ? { GroupName: g.GroupName } : {}) };
      });
      instance.SecurityGroups = chosen;
      return ec2Response(action, '<return>true</return>');
    }
    case 'CreateSecurityGroup': {
      const name = required(params, 'GroupName');
      const description = required(params, 'GroupDescription');
      const vpcId = params.get('VpcId');
      if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
      if (!vpcsOf(here).has(vpcId)) throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`, 400);
      if (/^sg-/i.test(name)) throw new AwsError('InvalidParameterValue', 'Group names may not be in the format sg-*', 400);
      if (groups.some((g) => g.GroupName === name && g.VpcId === vpcId)) {
        throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`, 400);
      }
      const tags = tagsFor(params, 'security-group');
      const group = {
        GroupId: newId('sg'),
        GroupName: name,
        Description: description,
        VpcId: vpcId,
        IpPermissions: [],
        // Every new VPC group may send anywhere until its egress is revoked.
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        ...(tags.length ? { Tags: tags } : {}),
      };
      groups.push(group);
      return ec2Response(
        action,
        `<return>true</return>${el('groupId', group.GroupId)}${tags.length ? tagSet(tags) : ''}${el('securityGroupArn', `arn:aws:ec2:${region}:${account}:security-group/${group.GroupId}`)}`,
      );
    }
    case 'RevokeSecurityGroupEgress': {
      const id = required(params, 'GroupId');
      const group = groups.find((g) => g.GroupId === id);
      if (!group) throw groupNotFound(id);
      const revoke = permissionsParam(params);
      if (revoke.length === 0) throw new AwsError('UnsupportedOperation', 'The fake EC2 serves RevokeSecurityGroupEgress only with IpPermissions', 400);
      // All or nothing, as in a non-default VPC: an unknown rule fails the call and changes nothing.
      const egress = structuredClone(group.IpPermissionsEgress ?? []);
      for (const r of revoke) {
        for (const cidr of r.IpRanges ?? []) {
          const rule = egress.find((e) => sameRule(e, r) && (e.IpRanges ?? []).some((x) => x.CidrIp === cidr.CidrIp));
          if (!rule) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
          rule.IpRanges = (rule.IpRanges ?? []).filter((x) => x.CidrIp !== cidr.CidrIp);
        }
      }
      group.IpPermissionsEgress = egress.filter((e) => (e.IpRanges ?? []).length > 0);
      return ec2Response(action, '<return>true</return>');
    }
    case 'CreateSnapshots': {
      const instance = instanceIn(here, required(params, 'InstanceSpecification.InstanceId'));
      const root = instance.RootDeviceName ?? instance.BlockDeviceMappings?.[0]?.DeviceName;
      const excluded = new Set(listParam(params, 'InstanceSpecification.ExcludeDataVolumeId'));
      const skipBoot = params.get('InstanceSpecification.ExcludeBootVolume') === 'true';
      const rootVolume = instance.BlockDeviceMappings?.find((b) => b.DeviceName === root)?.Ebs.VolumeId;
      if (rootVolume && excluded.has(rootVolume)) {
        throw new AwsError('InvalidParameterValue', 'The root volume cannot be excluded with ExcludeDataVolumeIds; use ExcludeBootVolume', 400);
      }
      const description = params.get('Description') ?? undefined;
      const tags = tagsFor(params, 'snapshot');
      const taken: Ec2Snapshot[] = (instance.BlockDeviceMappings ?? [])
        .filter((b) => !(skipBoot && b.DeviceName === root) && !excluded.has(b.Ebs.VolumeId))
        .map((b) => ({
          SnapshotId: newId('snap'),
          VolumeId: b.Ebs.VolumeId,
          State: 'pending',
          StartTime: new Date(now).toISOString(),
          OwnerId: account,
          Progress: '',
          ...(description !== undefined ? { Description: description } : {}),
          ...(tags.length ? { Tags: tags } : {}),
        }));
      here.snapshots ??= [];
      here.snapshots.push(...taken);
      const render = (s: Ec2Snapshot) =>
        el('description', s.Description) +
        tagSet(s.Tags) +
        el('volumeId', s.VolumeId) +
        el('state', s.State) +
        el('startTime', s.StartTime) +
        el('progress', s.Progress) +
        el('ownerId', s.OwnerId) +
        el('snapshotId', s.SnapshotId);
      return ec2Response(action, `<snapshotSet>${items(taken, render)}</snapshotSet>`);
    }
  }
  return null;
}
