/** Days from today in Japan to a YYYY-MM-DD deadline: 0 on the day itself, negative after it. */
export function daysUntil(deadline: string, at: Date = new Date()): number {
  const today = new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
