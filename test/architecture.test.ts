import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

describe('layering', () => {
  it('src/domain imports nothing but other domain modules (no I/O, SDKs, Bolt, zod or drivers)', () => {
    const domain = path.join(SRC, 'domain');
    const offenders: string[] = [];
    for (const file of tsFiles(domain)) {
      for (const spec of imports(file)) {
        const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : null;
        if (!resolved?.startsWith(domain + path.sep)) offenders.push(`${path.relative(SRC, file)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only the AWS adapter builds AWS SDK clients', () => {
    const offenders = tsFiles(SRC)
      .filter((f) => !f.includes(`${path.sep}aws${path.sep}`))
      .filter((f) => /new \w+Client\(/.test(readFileSync(f, 'utf8')) && /@aws-sdk\//.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('Block Kit is built in view builders, not in listeners or delivery code', () => {
    const offenders = tsFiles(SRC)
      .filter((f) => !f.includes(`${path.sep}views${path.sep}`) && !f.includes(`${path.sep}emulator${path.sep}`))
      .filter((f) => /type:\s*'(section|header|actions|context)'/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
