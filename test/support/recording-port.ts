/**
 * A port implementation for fast use-case tests: every method call is recorded (name and
 * arguments, in order) and answers with what the test gave for that method, or with a
 * resolved `undefined`. Use cases under test see only the port's interface, so a test
 * asserts what they told the outside world, not how an adapter would render it.
 */
export interface RecordedCall {
  method: string;
  args: unknown[];
}

export interface RecordingPort<T extends object> {
  port: T;
  calls: RecordedCall[];
  /** The arguments of each call to `method`, in order. */
  callsTo(method: keyof T & string): unknown[][];
  /** The method names called, in order. */
  methods(): string[];
}

export function recordingPort<T extends object>(answers: { [K in keyof T]?: T[K] } = {}): RecordingPort<T> {
  const calls: RecordedCall[] = [];
  const port = new Proxy({} as T, {
    get(_target, key) {
      if (typeof key !== 'string' || key === 'then') return undefined;
      return (...args: unknown[]) => {
        calls.push({ method: key, args });
        const answer = (answers as Record<string, unknown>)[key];
        return typeof answer === 'function' ? answer(...args) : Promise.resolve(answer);
      };
    },
  });
  return {
    port,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    methods: () => calls.map((c) => c.method),
  };
}
