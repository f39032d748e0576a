import crypto from 'node:crypto';
import type { Config } from './config.js';
import { migrateToLatest, openConfiguredDatabase, type DbHandle } from './db/db.js';
import type { Db } from './db/types.js';
import { now } from './db/util.js';
import { acrossMunicipalities } from './db/tenant.js';
import { hashPassword, purgeExpiredSessions } from './modules/auth/index.js';
import { loadSampleData, loadSampleCycle } from './modules/sample/index.js';

export interface Prepared {
  handle: DbHandle;
  sessionSecret: string;
  /** set only on the first start, when the admin password was generated here */
  generatedAdminPassword?: string;
  sampleLoaded: boolean;
}

async function setting(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/**
 * Opens and migrates the database, then makes sure the installation has what it needs to run:
 * a session secret shared by every app process (kept in the database unless configured), the
 * first administrator, and — on an empty database, unless switched off — the sample data.
 */
export async function prepare(config: Config): Promise<Prepared> {
  const handle = await openConfiguredDatabase(config);
  await migrateToLatest(handle);
  // The installation as a whole, before any request: across municipalities by nature.
  return acrossMunicipalities('bootstrap', () => prepareInstallation(handle, config));
}

async function prepareInstallation(handle: DbHandle, config: Config): Promise<Prepared> {
  const { db } = handle;

  let sessionSecret = config.sessionSecret;
  if (!sessionSecret) {
    sessionSecret = await setting(db, 'session_secret');
    if (!sessionSecret) {
      const candidate = crypto.randomBytes(48).toString('base64url');
      // Two processes starting together on one PostgreSQL must end up with the same secret.
      await db
        .insertInto('settings')
        .values({ key: 'session_secret', value: candidate })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      sessionSecret = (await setting(db, 'session_secret'))!;
    }
  }

  let generatedAdminPassword: string | undefined;
  let sampleLoaded = false;
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (!anyUser) {
    const password = config.initialAdminPassword ?? crypto.randomBytes(12).toString('base64url');
    if (!config.initialAdminPassword) generatedAdminPassword = password;
    const hash = await hashPassword(password);
    await db.transaction().execute(async (tx) => {
      const t = now();
      const exists = await tx.selectFrom('users').select('id').where('login_name', '=', 'admin').executeTakeFirst();
      if (exists) return;
      await tx
        .insertInto('users')
        // A generated password is shown once on the console: the administrator replaces it at the first login.
        .values({
          login_name: 'admin',
          display_name: 'システム管理者',
          role: 'system_admin',
          municipality_id: null,
          department_id: null,
          password_hash: hash,
          active: 1,
          must_change_password: config.initialAdminPassword ? 0 : 1,
          created_at: t,
          updated_at: t,
        })
        .execute();
      const anyMunicipality = await tx.selectFrom('municipalities').select('id').limit(1).executeTakeFirst();
      if (config.sampleData && !anyMunicipality) {
        await loadSampleData(tx, hash);
        sampleLoaded = true;
      }
    });
  }
  if (sampleLoaded) {
    const admin = await db
      .selectFrom('users')
      .select(['id', 'login_name', 'display_name', 'role'])
      .where('login_name', '=', 'admin')
      .executeTakeFirstOrThrow();
    await loadSampleCycle(
      { db, dialect: handle.dialect, config },
      {
        user: {
          id: admin.id,
          loginName: admin.login_name,
          displayName: admin.display_name,
          role: admin.role,
          municipalityId: null,
          departmentId: null,
          departmentIds: [],
          mustChangePassword: false,
        },
        requestId: 'sample-data',
      },
    );
  }
  await purgeExpiredSessions(db);
  return { handle, sessionSecret, generatedAdminPassword, sampleLoaded };
}
