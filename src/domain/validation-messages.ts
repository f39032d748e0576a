/**
 * What the API says about a refused field, in plain Japanese that names the field as the screen does:
 * 「事業名を入力してください」「主担当課を選んでください」「備考は4000文字以内で入力してください」.
 * Made from the validator's issue code and numbers, never from its own (English or stilted) wording;
 * a message a schema wrote itself is kept where it names the field, or where it states a rule
 * (a pattern, a check across fields) that the code alone cannot.
 */

/** The parts of a zod issue the wording depends on. */
export interface IssueFacts {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  /** the value sent, where the validator kept it (undefined: the field was left out) */
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  divisor?: number | bigint;
  format?: string;
}

/** The marker parse() gives issues that carry no message of their schema's own. */
export const NO_OWN_MESSAGE = '\u0000';

const lastKey = (path: readonly PropertyKey[]): string => {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
};

/** Fields the screen offers as a choice (a select, checkboxes, radio buttons) rather than as a box to type in. */
const CHOSEN =
  /(Ids?|^role|^kind|^phase|^category|^numberingStyle|^numberingScope|^era2019|^direction|^purpose|^targetBasis|^status|^action|^subject|^enteredBy|^scale|^method|^against|^toleranceUnit|^format|^encoding|^grouping|^hierarchy|^rowUnit|^op|^numbering|^layout|^subjectKind)$/;
const YEAR = /(Year|^year|^activeFrom|^activeTo)$/;

const num = (n: number | bigint | undefined) => String(n ?? '');

function isMissing(issue: IssueFacts): boolean {
  return !('input' in issue) || issue.input === undefined || issue.input === null || Number.isNaN(issue.input);
}

interface Field {
  label: string;
  chosen: boolean;
  year: boolean;
  key: string;
}

function invalidType(issue: IssueFacts, f: Field): string {
  const { label } = f;
  if (f.chosen || (issue.expected === 'number' && isMissing(issue) && /Id$/.test(f.key)))
    return `${label}を選んでください`;
  if (isMissing(issue) || issue.input === '')
    return ['array', 'object', 'boolean'].includes(issue.expected ?? '')
      ? `${label}を指定してください`
      : `${label}を入力してください`;
  switch (issue.expected) {
    case 'number':
    case 'int':
    case 'bigint':
      return f.year ? `${label}は年度（例: 2025）で入力してください` : `${label}は数値で入力してください`;
    case 'string':
      return `${label}は文字で入力してください`;
    case 'boolean':
      return `${label}は「はい」か「いいえ」で指定してください`;
    case 'array':
      return `${label}は一覧の形で指定してください`;
    default:
      return `${label}の形式が正しくありません`;
  }
}

const NUMERIC = new Set(['number', 'int', 'bigint']);

function tooSmall(issue: IssueFacts, f: Field): string {
  const { label } = f;
  const min = Number(issue.minimum ?? 0);
  if (issue.origin === 'string')
    return min <= 1 ? `${label}を入力してください` : `${label}は${min}文字以上で入力してください`;
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (min > 1) return `${label}は${min}件以上にしてください`;
    return f.chosen ? `${label}を1つ以上選んでください` : `${label}を1件以上入れてください`;
  }
  if (!NUMERIC.has(issue.origin ?? '')) return `${label}が小さすぎます`;
  if (f.chosen || /(^id|Id)$/.test(f.key)) return `${label}を選んでください`;
  if (f.year) return `${label}は${min}年度以降を指定してください`;
  return issue.inclusive === false
    ? `${label}は${min}より大きい数値で入力してください`
    : `${label}は${min}以上の数値で入力してください`;
}

function tooBig(issue: IssueFacts, f: Field): string {
  const { label } = f;
  const max = num(issue.maximum);
  if (issue.origin === 'string') return `${label}は${max}文字以内で入力してください`;
  if (issue.origin === 'array' || issue.origin === 'set') return `${label}は${max}件までにしてください`;
  if (!NUMERIC.has(issue.origin ?? '')) return `${label}が大きすぎます`;
  if (f.year) return `${label}は${max}年度以前を指定してください`;
  return issue.inclusive === false
    ? `${label}は${max}より小さい数値で入力してください`
    : `${label}は${max}以下の数値で入力してください`;
}

/** The generic message for an issue of this code about the field labelled `label`. */
function generic(issue: IssueFacts, label: string): string {
  const key = lastKey(issue.path);
  const f: Field = { label, key, chosen: CHOSEN.test(key), year: YEAR.test(key) };
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue, f);
    case 'too_small':
      return tooSmall(issue, f);
    case 'too_big':
      return tooBig(issue, f);
    case 'invalid_value':
      return isMissing(issue) ? `${label}を選んでください` : `${label}は選択肢の中から選んでください`;
    case 'invalid_format':
      return issue.format === 'email' ? `${label}の形式が正しくありません` : `${label}の書き方が正しくありません`;
    case 'not_multiple_of':
      return `${label}は${num(issue.divisor)}の倍数で入力してください`;
    case 'unrecognized_keys':
      return `${label}に使えない項目が含まれています`;
    case 'invalid_key':
    case 'invalid_element':
      return `${label}に正しくない項目があります`;
    case 'invalid_union':
      return isMissing(issue) ? `${label}を指定してください` : `${label}の形式が正しくありません`;
    default:
      return `${label}の内容を確認してください`;
  }
}

/**
 * The Japanese message for one issue about the field labelled `label` (its whole name, with where it
 * sits: 「階層（2件目）の名称」); `name` is the field's own name (「名称」).
 */
export function issueMessage(issue: IssueFacts, label: string, name = label): string {
  const own = issue.message === NO_OWN_MESSAGE ? '' : issue.message;
  if (own && (own.includes(label) || (issue.code === 'custom' && own.includes(name)))) return own;
  // A check across fields, or a pattern's rule, is said by its schema; the field is named before it.
  if (own && issue.code === 'custom') return `${label}：${own}`;
  if (issue.code === 'invalid_format' && issue.input === '') return `${label}を入力してください`;
  if (own && issue.code === 'invalid_format' && issue.format === 'regex')
    return own.includes(name) ? own : `${label}は${own}`;
  return generic(issue, label);
}
