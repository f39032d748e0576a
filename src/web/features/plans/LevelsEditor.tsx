import {
  NUMBERING_SCOPES,
  NUMBERING_STYLES,
  NUMBERING_STYLE_LABELS,
  formatNumber,
  type NumberingScope,
  type NumberingStyle,
} from '../../../domain/numbering.js';
import './levels-editor.css';

export interface LevelDraft {
  name: string;
  numberingStyle: NumberingStyle;
  numberingScope: NumberingScope;
  /** the heading over the number in a column of its own; empty: the name and 「No.」 */
  numberHeading?: string;
}

const SCOPE_LABELS: Record<NumberingScope, string> = { parent: '上位の項目ごとに1から', plan: '計画全体で通し番号' };
const SUGGESTED = ['基本目標', '主要課題', '施策の方向', '施策', '基本施策', '基本事業'];

export function LevelsEditor({
  levels,
  onChange,
  lockedDepth = 0,
}: {
  levels: LevelDraft[];
  onChange: (l: LevelDraft[]) => void;
  lockedDepth?: number;
}) {
  const set = (i: number, patch: Partial<LevelDraft>) =>
    onChange(levels.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <fieldset className="levels-editor">
      <legend>階層（2〜6段）</legend>
      <ol className="levels-list">
        {levels.map((l, i) => (
          <LevelRow key={i} depth={i} level={l} onChange={(patch) => set(i, patch)} />
        ))}
      </ol>
      <p id="level-number-heading-hint" className="hint">
        番号の列見出しは、番号と名称を別々の列に印刷する帳票（施策 No. と
        施策の内容）で番号の列の上に印刷する言葉です。空欄なら名称に「No.」を付けて印刷します。
      </p>
      <datalist id="level-name-suggestions">
        {SUGGESTED.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div className="button-row">
        <button
          type="button"
          className="button secondary small"
          disabled={levels.length >= 6}
          onClick={() =>
            onChange([
              ...levels,
              { name: SUGGESTED[levels.length] ?? '', numberingStyle: 'arabic', numberingScope: 'parent' },
            ])
          }
        >
          階層を追加
        </button>
        <button
          type="button"
          className="button secondary small"
          disabled={levels.length <= Math.max(2, lockedDepth)}
          onClick={() => onChange(levels.slice(0, -1))}
        >
          最下層を削除
        </button>
      </div>
    </fieldset>
  );
}

/** One level: its name, numbering style and scope, and two numbers as the style prints them. */
function LevelRow({
  depth: i,
  level: l,
  onChange,
}: {
  depth: number;
  level: LevelDraft;
  onChange(patch: Partial<LevelDraft>): void;
}) {
  const id = `level-${i}`;
  const prefix = <span className="visually-hidden">第{i + 1}階層の</span>;
  return (
    <li className="level-row">
      <span className="level-depth" aria-hidden="true">
        第{i + 1}階層
      </span>
      <div className="level-field level-name">
        <label htmlFor={`${id}-name`}>{prefix}名称</label>
        <input
          id={`${id}-name`}
          type="text"
          value={l.name}
          list="level-name-suggestions"
          onChange={(e) => onChange({ name: e.target.value })}
        />
      </div>
      <div className="level-field">
        <label htmlFor={`${id}-style`}>{prefix}番号の形式</label>
        <select
          id={`${id}-style`}
          value={l.numberingStyle}
          // the options are the numbering styles
          onChange={(e) => onChange({ numberingStyle: e.target.value as NumberingStyle })}
        >
          {NUMBERING_STYLES.map((s) => (
            <option key={s} value={s}>
              {NUMBERING_STYLE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="level-field">
        <label htmlFor={`${id}-scope`}>{prefix}番号の振り方</label>
        <select
          id={`${id}-scope`}
          value={l.numberingScope}
          // the options are the numbering scopes
          onChange={(e) => onChange({ numberingScope: e.target.value as NumberingScope })}
        >
          {NUMBERING_SCOPES.map((s) => (
            <option key={s} value={s}>
              {SCOPE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="level-field level-number-heading">
        <label htmlFor={`${id}-number-heading`}>{prefix}番号の列見出し</label>
        <input
          id={`${id}-number-heading`}
          type="text"
          value={l.numberHeading ?? ''}
          placeholder={`${l.name || '名称'}No.`}
          aria-describedby="level-number-heading-hint"
          onChange={(e) => onChange({ numberHeading: e.target.value })}
        />
      </div>
      <p className="level-example">
        <span className="visually-hidden">第{i + 1}階層の番号の</span>例:{' '}
        {[1, 2].map((n) => formatNumber(l.numberingStyle, n, '1')).join('、') || '（なし）'}
      </p>
    </li>
  );
}

export const DEFAULT_LEVELS: LevelDraft[] = [
  { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
  { name: '主要課題', numberingStyle: 'paren', numberingScope: 'plan' },
  { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
];
