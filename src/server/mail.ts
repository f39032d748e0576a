import type { Config } from './config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends through the configured SMTP server; without one, mail is not sent and the caller says so. */
export async function sendMail(
  config: Config,
  mails: Mail[],
): Promise<{ sent: number; failed: { to: string; error: string }[] }> {
  if (!config.smtp) return { sent: 0, failed: mails.map((m) => ({ to: m.to, error: 'SMTP が設定されていません' })) };
  // nodemailer is loaded when mail is first sent: the server starts without it.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.password ?? '' } : undefined,
    // Certificates are verified unless SMTP_TLS_VERIFY=false (a closed-network relay with its own certificate).
    tls: { rejectUnauthorized: config.smtp.verifyTls },
  });
  let sent = 0;
  const failed: { to: string; error: string }[] = [];
  for (const m of mails) {
    try {
      await transport.sendMail({ from: config.smtp.from, to: m.to, subject: m.subject, text: m.text });
      sent++;
    } catch (e) {
      failed.push({ to: m.to, error: e instanceof Error ? e.message : String(e) });
    }
  }
  transport.close();
  return { sent, failed };
}
