/** An error in words for audit records and people: `<name>: <message>` (an AWS error's name is its code). */
export function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}
