import type { Config } from './config.js';
import type { Db, Dialect } from './db/types.js';
import type { ParsePool } from './modules/imports/index.js';
import type { SheetCache } from './modules/rounds/index.js';

/**
 * What every service gets: the database, the settings, and the per-process parts. Its own file, so
 * that modules do not import the app (which imports them) for its type.
 */
export interface AppContext {
  db: Db;
  dialect: Dialect;
  config: Config;
  /** per process; present in the running app, absent where services are called directly */
  sheetCache?: SheetCache;
  /** the time it is, for rules that depend on the date (a fiscal year beginning); tests fix it */
  clock?: () => Date;
  /** worker threads that read uploads and pastes (absent: in this thread, as the command line does) */
  parsePool?: ParsePool;
}
