/**
 * The checks Block Kit rules are built from. Each problem is worded the way Slack words it
 * ("must be less than 3001 characters", "no more than 50 items allowed", "missing required
 * field: text", "failed to match all allowed schemas"…) and ends in the JSON pointer of the
 * offending value, so code that parses Slack's refusals can be tested against the emulator.
 */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type TextType = 'plain_text' | 'mrkdwn';

export interface TextRule {
  max: number;
  /** Where Slack takes only plain_text (headers, buttons, options, labels). */
  plainOnly?: boolean;
}

export class Check {
  readonly problems: string[] = [];

  add(message: string, pointer: string): void {
    this.problems.push(`${message} [json-pointer:${pointer}]`);
  }

  /** Runs `inner` and tells whether it added a problem. */
  private failed(inner: () => void): boolean {
    const before = this.problems.length;
    inner();
    return this.problems.length > before;
  }

  object(value: unknown, at: string): value is Json {
    if (isObject(value)) return true;
    this.add('must provide an object', at);
    return false;
  }

  /** A string property; `required` names it in Slack's "missing required field" at the parent. */
  string(parent: Json, key: string, at: string, o: { max: number; required?: boolean }): void {
    const value = parent[key];
    if (value === undefined) {
      if (o.required) this.add(`missing required field: ${key}`, at);
      return;
    }
    const pointer = `${at}/${key}`;
    if (typeof value !== 'string') return this.add('must provide a string', pointer);
    if (o.required && value.length === 0) return this.add('must be more than 0 characters', pointer);
    if (value.length > o.max) this.add(`must be less than ${o.max + 1} characters`, pointer);
  }

  enumOf(parent: Json, key: string, at: string, allowed: readonly string[]): void {
    const value = parent[key];
    if (value === undefined) return;
    if (typeof value !== 'string' || !allowed.includes(value)) this.add('must be a valid enum value', `${at}/${key}`);
  }

  /** An array property with Slack's item bounds; answers the items to check further. */
  list(parent: Json, key: string, at: string, o: { min: number; max: number; required?: boolean }): unknown[] {
    const value = parent[key];
    if (value === undefined) {
      if (o.required) this.add(`missing required field: ${key}`, at);
      return [];
    }
    const pointer = `${at}/${key}`;
    if (!Array.isArray(value)) {
      this.add('must provide an array', pointer);
      return [];
    }
    if (value.length < o.min) this.add(`must provide at least ${o.min} item${o.min === 1 ? '' : 's'}`, pointer);
    if (value.length > o.max) this.add(`no more than ${o.max} items allowed`, pointer);
    return value;
  }

  /**
   * A text object. Where both types are allowed Slack validates against each schema and, when
   * neither matches, reports "failed to match all allowed schemas" before the specific problem.
   */
  text(parent: Json, key: string, at: string, rule: TextRule & { required?: boolean }): void {
    const value = parent[key];
    if (value === undefined) {
      if (rule.required) this.add(`missing required field: ${key}`, at);
      return;
    }
    this.textAt(value, `${at}/${key}`, rule);
  }

  /** A text object found at `pointer` (an item of `fields`, say). */
  textAt(value: unknown, pointer: string, rule: TextRule): void {
    if (rule.plainOnly) return this.textObject(value, pointer, rule);
    const report = this.problems.length;
    if (this.failed(() => this.textObject(value, pointer, rule))) {
      this.problems.splice(report, 0, `failed to match all allowed schemas [json-pointer:${pointer}]`);
    }
  }

  private textObject(value: unknown, at: string, rule: TextRule): void {
    if (!this.object(value, at)) return;
    const allowed: readonly TextType[] = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (value.type === undefined) return this.add('missing required field: type', at);
    if (!allowed.includes(value.type as TextType)) return this.add('must be a valid enum value', `${at}/type`);
    this.string(value, 'text', at, { max: rule.max, required: true });
  }

  /** Options of selects, overflow menus, checkboxes and radio buttons. */
  options(parent: Json, key: string, at: string, o: { min: number; max: number; required?: boolean; mrkdwn?: boolean }): void {
    this.list(parent, key, at, o).forEach((option, i) => {
      const pointer = `${at}/${key}/${i}`;
      if (!this.object(option, pointer)) return;
      this.text(option, 'text', pointer, { max: 75, required: true, plainOnly: !o.mrkdwn });
      this.string(option, 'value', pointer, { max: 150, required: true });
      this.text(option, 'description', pointer, { max: 75, plainOnly: true });
      this.string(option, 'url', pointer, { max: 3000 });
    });
  }

  /** Ids that Slack wants unique within one message or view. */
  unique(seen: Set<string>, parent: Json, key: string, at: string): void {
    const value = parent[key];
    if (typeof value !== 'string') return;
    if (seen.has(value)) this.add(`\`${key}\` "${value}" already exists`, `${at}/${key}`);
    seen.add(value);
  }
}
