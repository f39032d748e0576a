import path from 'node:path';
import { z } from 'zod';
import { passwordProblems } from '../domain/password-policy.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'DATABASE_POOL_SIZE は接続数（整数）で指定してください' })
    .int('DATABASE_POOL_SIZE は整数にしてください')
    .min(1, 'DATABASE_POOL_SIZE は1以上にしてください')
    .max(1000)
    .default(10),
  SHEET_BUILDS: z.coerce
    .number({ error: 'SHEET_BUILDS は同時に組み立てる回答シートの数（整数）で指定してください' })
    .int('SHEET_BUILDS は整数にしてください')
    .min(1, 'SHEET_BUILDS は1以上にしてください')
    .max(1000)
    .optional(),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'DATABASE_STATEMENT_TIMEOUT_SECONDS は秒数で指定してください（0 で無制限）' })
    .min(0, 'DATABASE_STATEMENT_TIMEOUT_SECONDS は0以上にしてください')
    .max(3600, 'DATABASE_STATEMENT_TIMEOUT_SECONDS は3600秒以内にしてください')
    .default(30),
  DATABASE_PREPARE: z.enum(['on', 'off'], { error: 'DATABASE_PREPARE は on か off で指定してください' }).default('on'),
  DATA_DIR: z.string().default('data'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET は32文字以上にしてください').optional(),
  INITIAL_ADMIN_PASSWORD: z
    .string()
    .superRefine((v, ctx) => {
      const problems = passwordProblems(v, { loginName: 'admin' });
      if (problems.length) ctx.addIssue({ code: 'custom', message: `INITIAL_ADMIN_PASSWORD: ${problems.join('。')}` });
    })
    .optional(),
  SAMPLE_DATA: z.enum(['on', 'off']).default('on'),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  SESSION_HOURS: z.coerce
    .number({ error: 'SESSION_HOURS は時間数（例: 8、0.5）で指定してください' })
    .min(0.1, 'SESSION_HOURS は0.1時間以上にしてください')
    .max(24 * 30, 'SESSION_HOURS は720時間以内にしてください')
    .default(8),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number({ error: 'SESSION_ABSOLUTE_HOURS は時間数で指定してください' })
    .min(0.1)
    .max(24 * 90)
    .default(24),
  LOGIN_RATE_LIMIT: z.coerce
    .number({ error: 'LOGIN_RATE_LIMIT は回数で指定してください' })
    .int('LOGIN_RATE_LIMIT は整数にしてください')
    .min(1, 'LOGIN_RATE_LIMIT は1以上にしてください')
    .default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** false; a number of proxy hops; or a comma-separated list of proxy addresses/CIDRs. `true` means one hop. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine(
      (v) => /^(true|false|\d{1,2})$/.test(v) || v.split(',').every((p) => /^[0-9a-fA-F:./]+$/.test(p.trim())),
      'TRUST_PROXY は false、中継するプロキシの段数（例: 1）、またはプロキシのアドレスをカンマ区切りで指定してください',
    ),
  APP_URL: z.string().url('APP_URL は http(s):// で始まる URL にしてください').optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('shinchoku@localhost'),
  /** false only for a closed-network relay with a certificate no one can verify */
  SMTP_TLS_VERIFY: z
    .enum(['true', 'false'], { error: 'SMTP_TLS_VERIFY は true か false で指定してください' })
    .default('true'),
  IMPORT_WORKERS: z.coerce.number().int().min(1, 'IMPORT_WORKERS は1以上にしてください').max(16).default(2),
  IMPORT_WORKER_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(64, 'IMPORT_WORKER_MEMORY_MB は64以上にしてください')
    .max(8192)
    .default(512),
  IMPORT_TIMEOUT_SECONDS: z.coerce.number().min(1, 'IMPORT_TIMEOUT_SECONDS は1以上にしてください').max(600).default(30),
  IMPORT_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  /** PostgreSQL: the pool of each process, and the limit of one statement of a request (0: none) */
  /** prepare: each connection keeps its prepared statements (off behind a pooler in transaction mode) */
  database: { poolSize: number; statementTimeoutMs: number; prepare: boolean };
  /**
   * Department sheets one process builds at once (the others wait their turn): on PostgreSQL fewer than the
   * pool's connections, so that saves find a free one while everyone opens their sheet at the deadline.
   */
  sheetBuilds: number;
  dataDir: string;
  sqliteFile: string;
  sessionSecret?: string;
  initialAdminPassword?: string;
  sampleData: boolean;
  cookieSecure: boolean;
  /** a session ends after this many hours without use */
  sessionHours: number;
  /** and after this many hours from its login, in use or not */
  sessionAbsoluteHours: number;
  /** failed logins before an account is locked (an address may fail ten times as often) */
  loginRateLimit: number;
  logLevel: string;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses (never "trust every X-Forwarded-For") */
  trustProxy: boolean | number | string[];
  webRoot: string;
  /** the address users open, for links in e-mail */
  appUrl: string;
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    user?: string;
    password?: string;
    from: string;
    verifyTls: boolean;
  } | null;
  /** the worker threads that read uploads and pastes: how many, their heap cap, a job's time limit, queue length */
  imports: { workers: number; memoryMb: number; timeoutMs: number; queue: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`設定に誤りがあります:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    database: {
      poolSize: e.DATABASE_POOL_SIZE,
      statementTimeoutMs: Math.round(e.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000),
      prepare: e.DATABASE_PREPARE === 'on',
    },
    // SQLite has one connection that every statement queues for: no pool to keep connections free in.
    sheetBuilds:
      e.SHEET_BUILDS ?? (e.DATABASE_URL ? Math.max(1, Math.floor(e.DATABASE_POOL_SIZE / 2)) : Number.POSITIVE_INFINITY),
    dataDir,
    sqliteFile: path.join(dataDir, 'shinchoku.sqlite'),
    sessionSecret: e.SESSION_SECRET,
    initialAdminPassword: e.INITIAL_ADMIN_PASSWORD,
    sampleData: e.SAMPLE_DATA === 'on',
    cookieSecure: e.COOKIE_SECURE === 'true',
    sessionHours: e.SESSION_HOURS,
    sessionAbsoluteHours: Math.max(e.SESSION_ABSOLUTE_HOURS, e.SESSION_HOURS),
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    trustProxy:
      e.TRUST_PROXY === 'false'
        ? false
        : e.TRUST_PROXY === 'true'
          ? 1
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY.split(',').map((p) => p.trim()),
    webRoot: path.resolve('dist/web'),
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    imports: {
      workers: e.IMPORT_WORKERS,
      memoryMb: e.IMPORT_WORKER_MEMORY_MB,
      timeoutMs: e.IMPORT_TIMEOUT_SECONDS * 1000,
      queue: e.IMPORT_QUEUE,
    },
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE === 'true',
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          from: e.SMTP_FROM,
          verifyTls: e.SMTP_TLS_VERIFY === 'true',
        }
      : null,
  };
}
