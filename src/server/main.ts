import { buildApp } from './app.js';
import { prepare } from './bootstrap.js';
import { loadConfig } from './config.js';
import { applyReorganisationsDueBy } from './modules/departments/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const prepared = await prepare(config);
  const app = await buildApp({
    db: prepared.handle.db,
    dialect: prepared.handle.dialect,
    config,
    sessionSecret: prepared.sessionSecret,
  });
  // A promise someone forgot to await must not take every user's session down with it.
  process.on('unhandledRejection', (err) => app.log.error({ err }, 'unhandled rejection'));
  const where = prepared.handle.dialect === 'postgres' ? 'PostgreSQL' : config.sqliteFile;
  await app.listen({ port: config.port, host: config.host });
  const lines = [`Shinchoku を起動しました: http://localhost:${config.port}/  （データベース: ${where}）`];
  if (prepared.generatedAdminPassword)
    lines.push(
      '初回起動のため管理者アカウントを作成しました。このパスワードは二度と表示されません。',
      `  ログインID: admin   パスワード: ${prepared.generatedAdminPassword}`,
    );
  if (prepared.sampleLoaded)
    lines.push(
      'サンプルデータ「サンプル市」を読み込みました。サンプルの利用者（sample-coordinator ほか）のパスワードも同じです。',
    );
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  // Reorganisations take effect when their fiscal year begins (or earlier, when its round opens).
  const applyDue = () =>
    applyReorganisationsDueBy(prepared.handle.db).then(
      (n) => n > 0 && app.log.info({ applied: n }, 'reorganisations took effect'),
      (err: unknown) => app.log.error({ err }, 'applying reorganisations failed'),
    );
  await applyDue();
  const timer = setInterval(() => void applyDue(), 3600_000);
  timer.unref();

  const stop = async () => {
    await app.close();
    await prepared.handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`起動に失敗しました: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
