import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Scalar, parse, type Tags } from 'yaml';

/** CloudFormation's short-form intrinsics (`!Ref`, `!Sub`, `!If`…), kept as their long form `{ 'Fn::…': value }`. */
const scalarOrNode = (value: unknown) => (value instanceof Scalar ? value.value : value);
const scalar = (tag: string, fn: string) => ({ tag, resolve: (v: unknown) => ({ [fn]: scalarOrNode(v) }), identify: () => false });
const sequence = (tag: string, fn: string) =>
  ({ tag, collection: 'seq', resolve: (v: { toJSON(): unknown }) => ({ [fn]: v.toJSON() }), identify: () => false }) as never;

const CFN_TAGS: Tags = [
  scalar('!Ref', 'Ref'),
  scalar('!Sub', 'Fn::Sub'),
  scalar('!GetAtt', 'Fn::GetAtt'),
  sequence('!Equals', 'Fn::Equals'),
  sequence('!If', 'Fn::If'),
  sequence('!Not', 'Fn::Not'),
  sequence('!Join', 'Fn::Join'),
  sequence('!And', 'Fn::And'),
];

/** deploy/member-role.yml as CloudFormation reads it. */
export function memberRoleTemplate(): Record<string, any> {
  const text = readFileSync(fileURLToPath(new URL('../../deploy/member-role.yml', import.meta.url)), 'utf8');
  return parse(text, { customTags: CFN_TAGS }) as Record<string, any>;
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  /** Where it comes from: the resource, and the `Fn::If` condition it depends on. */
  from: string;
}

/**
 * Every statement a template's IAM roles and policies grant, a conditional one (`Fn::If`)
 * once per branch that is a statement (`AWS::NoValue` drops it).
 */
export function iamStatements(resources: Record<string, { Type: string; Properties?: Record<string, any>; Condition?: string }>): Statement[] {
  const out: Statement[] = [];
  const add = (from: string, statements: unknown[]) => {
    for (const s of statements) {
      const branch = s as Record<string, any>;
      if (branch['Fn::If']) {
        const [condition, yes, no] = branch['Fn::If'] as [string, unknown, unknown];
        add(
          `${from} if ${condition}`,
          [yes, no].filter((b) => !(b && typeof b === 'object' && (b as { Ref?: string }).Ref === 'AWS::NoValue')),
        );
        continue;
      }
      out.push({ ...(branch as Omit<Statement, 'from'>), from });
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    const from = r.Condition ? `${id} (${r.Condition})` : id;
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of r.Properties?.Policies ?? []) add(`${from}/${p.PolicyName}`, p.PolicyDocument.Statement);
    }
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') add(from, r.Properties?.PolicyDocument.Statement ?? []);
  }
  return out;
}
