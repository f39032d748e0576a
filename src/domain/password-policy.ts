/**
 * The password rule of a public-sector system: long enough to resist guessing, not a common or
 * trivially repetitive word, not made of the account's own name. Checked on the server for every
 * password that is set (new accounts, resets, self-service changes) and shown on the form as typed.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Common passwords and their stems; compared after lower-casing and removing digits and symbols at the ends. */
const COMMON = [
  'password',
  'passw0rd',
  'p@ssw0rd',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'login',
  'master',
  'dragon',
  'monkey',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'shadow',
  'superman',
  'trustno1',
  'abc123',
  'changeme',
  'secret',
  'default',
  'guest',
  'root',
  'toor',
  'test',
  'testtest',
  'shinchoku',
  'sinchoku',
  'sample',
  'nippon',
  'japan',
  'tokyo',
  'osaka',
  'yokohama',
  'sakura',
  'pokemon',
  'doraemon',
  'himitsu',
  'kanri',
  'kanrisha',
  'yakusho',
  'shiyakusho',
  'jichitai',
  'danjo',
  'sankaku',
  'kyoudousankaku',
  'password1',
  'qazwsx',
  '1q2w3e4r',
  '1qaz2wsx',
  'q1w2e3r4',
  'zaq12wsx',
  'michael',
  'jennifer',
  'computer',
  'internet',
];

export interface PasswordContext {
  loginName?: string;
  displayName?: string;
}

/** The problems of a password in plain Japanese; empty when it may be used. */
export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`${PASSWORD_MIN_LENGTH}文字以上にしてください`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`${PASSWORD_MAX_LENGTH}文字以内にしてください`);
  if (/^\s|\s$/.test(password) || password.trim() === '') problems.push('前後に空白を入れないでください');
  const plain = password.normalize('NFKC').toLowerCase();
  const core = plain.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (COMMON.includes(plain) || (core.length >= 4 && COMMON.includes(core)))
    problems.push('よく使われるパスワードです。推測されにくいものにしてください');
  if (trivial(plain)) problems.push('同じ文字や並んだ文字の繰り返しは使えません');
  const own = [context.loginName, context.displayName]
    .flatMap((v) =>
      (v ?? '')
        .normalize('NFKC')
        .toLowerCase()
        .split(/[\s@._-]+/),
    )
    .filter((v) => v.length >= 3);
  if (own.some((v) => plain.includes(v))) problems.push('ログインIDや氏名を含めないでください');
  return problems;
}

/** One short unit repeated (aaaa…, abcabc…, 1212…), or a run along the keyboard or the alphabet. */
function trivial(p: string): boolean {
  for (let unit = 1; unit <= 4; unit++) {
    const head = p.slice(0, unit);
    if (head.length === unit && head.repeat(Math.ceil(p.length / unit)).slice(0, p.length) === p) return true;
  }
  const runs = [
    'abcdefghijklmnopqrstuvwxyz',
    '0123456789',
    'qwertyuiop',
    'asdfghjkl',
    'zxcvbnm',
    '9876543210',
    'zyxwvutsrqponmlkjihgfedcba',
  ];
  return p.length >= 8 && runs.some((r) => r.repeat(3).includes(p));
}
