/** The current time as stored: ISO-8601 text in UTC. */
export function now(): string {
  return new Date().toISOString();
}

/** pg answers counts and bigints as strings; SQLite as numbers. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

export function flag(value: boolean): number {
  return value ? 1 : 0;
}
