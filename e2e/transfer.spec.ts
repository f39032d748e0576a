import { expect, test, type Page, type Request } from '@playwright/test';
import { createMunicipality, PASSWORD } from './support.js';

/** The first visit's budget: what a browser with an empty cache downloads, compressed, headers included. */
const BUDGET = 200 * 1024;

interface Transfer {
  url: string;
  bytes: number;
  headers: Record<string, string>;
  body: string;
}

/** Every finished request of the page from now on, with its bytes on the wire (encoded body + headers). */
function recordTransfers(page: Page): { settled(): Promise<Transfer[]> } {
  const pending: Promise<Transfer | null>[] = [];
  page.on('requestfinished', (req: Request) => {
    pending.push(
      (async () => {
        const [sizes, response] = await Promise.all([req.sizes(), req.response()]);
        const headers = response ? await response.allHeaders() : {};
        const type = headers['content-type'] ?? '';
        const body = response && /javascript/.test(type) ? await response.text() : '';
        return { url: req.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, headers, body };
      })().catch((e: unknown) => {
        // A request that finishes as the test closes its page (after the last settled()) is not measured;
        // left unhandled, its rejection would fail the next test of the file.
        if (page.isClosed()) return null;
        throw e;
      }),
    );
  });
  return {
    settled: async () => (await Promise.all(pending.splice(0))).filter((t): t is Transfer => t !== null),
  };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const total = (transfers: Transfer[]) => transfers.reduce((sum, t) => sum + t.bytes, 0);

test('the first visit (login, then home) downloads at most 200 kB, compressed and cached for good', async ({
  page,
  request,
}) => {
  const f = await createMunicipality(request, '転送市');
  const transfers = recordTransfers(page);

  await page.goto('/');
  await expect(page.getByLabel('ログインID')).toBeVisible();
  await page.waitForLoadState('networkidle');
  const login = await transfers.settled();

  await page.getByLabel('ログインID').fill(f.editor);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '入力 担当さんのやること' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const home = await transfers.settled();

  test
    .info()
    .annotations.push(
      { type: 'login page', description: `${kB(total(login))} in ${login.length} responses` },
      { type: 'home page after login', description: `${kB(total(home))} in ${home.length} responses` },
      { type: 'first visit', description: kB(total(login) + total(home)) },
    );
  expect(total(login), 'the login page').toBeLessThanOrEqual(BUDGET);
  expect(total(login) + total(home), 'the login page and the home page after it').toBeLessThanOrEqual(BUDGET);

  const all = [...login, ...home];
  const assets = all.filter((t) => new URL(t.url).pathname.startsWith('/assets/'));
  expect(assets.some((t) => t.url.endsWith('.js'))).toBe(true);
  expect(assets.some((t) => t.url.endsWith('.css'))).toBe(true);
  for (const a of assets) {
    expect(a.headers['cache-control'], a.url).toBe('public, max-age=31536000, immutable');
    expect(['br', 'gzip'], `${a.url} is sent compressed`).toContain(a.headers['content-encoding']);
    expect(a.headers['vary'], a.url).toMatch(/accept-encoding/i);
  }
  const documents = all.filter((t) => (t.headers['content-type'] ?? '').startsWith('text/html'));
  expect(documents.length).toBeGreaterThan(0);
  for (const d of documents) expect(d.headers['cache-control'], d.url).toBe('no-cache');

  // zod validates on the server; the SPA's first page does not carry it.
  for (const script of all.filter((t) => t.body)) expect(script.body, script.url).not.toContain('$ZodError');
});

test('an asset is sent as gzip to a client without brotli, and as is to one asking for neither', async ({
  page,
  request,
}) => {
  await page.goto('/');
  const script = await page.locator('script[src^="/assets/"]').first().getAttribute('src');
  expect(script).toBeTruthy();
  const gzip = await request.get(script!, { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  const plain = await request.get(script!, { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
  expect(plain.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(await plain.text()).toBe(await gzip.text());
});
