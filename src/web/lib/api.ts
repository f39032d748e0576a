/** The one way the SPA talks to the server: JSON, the CSRF header on writes, Japanese errors. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; label: string; message: string }[] = [],
    /** the rest of the error body, e.g. `current` beside a conflict */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
  fieldError(field: string): string | undefined {
    return this.details.find((d) => d.field === field || d.field.startsWith(`${field}.`))?.message;
  }
}

let csrfToken = '';
let onSessionLost: () => void = () => undefined;
/**
 * Called when the server says the session is gone (expired, logged out elsewhere, account disabled),
 * or that its user must first change a password someone else set: either way the session is read
 * again, and the app shows what that session allows (the login page, or only the password change).
 */
export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'サーバーに接続できません。ネットワークを確認してください');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    details?: ApiError['details'];
  } & Record<string, unknown>;
  if (res.status === 401 && url !== '/api/auth/login') onSessionLost();
  if (res.status === 403 && data.passwordChangeRequired === true) onSessionLost();
  if (!res.ok)
    throw new ApiError(
      res.status,
      data.code ?? 'ERROR',
      data.message ?? `エラーが発生しました（${res.status}）`,
      data.details ?? [],
      data,
    );
  return data as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body: unknown = {}) => request<T>('POST', url, body),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
  delete: <T>(url: string) => request<T>('DELETE', url),
};
