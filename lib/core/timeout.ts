/**
 * Rejects like AbortSignal.timeout (a TimeoutError) when `promise` has not settled within
 * `ms`: for work a signal cannot stop, such as a DNS query hanging longer than a request
 * may take.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: "TimeoutError" })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
