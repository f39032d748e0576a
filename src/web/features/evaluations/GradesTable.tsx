import { moveItem, type GradeDraft } from './config-draft.js';
import { CellCheck, CellInput, GroupError, RowActions, Section } from './controls.js';
import type { FieldErrors } from './field-errors.js';

interface Props {
  grades: GradeDraft[];
  onChange(grades: GradeDraft[]): void;
  /** the scale's path: config.scales.0 */
  at: string;
  err: FieldErrors;
  /** the rule computes: a code may then be marked as chosen by hand beside it (着手, 未着手) */
  computes: boolean;
}

/**
 * The legend of a scale (凡例), best first: each code with its words, whether it is counted, its
 * points and whether a person may choose it beside a computation. The order is the order everywhere.
 */
export function GradesTable(p: Props) {
  return (
    <Section title="凡例（評価の記号、よいものから順に）">
      <table className="data-table compact eval-grid grades-grid">
        <thead>
          <tr>
            <th scope="col">記号</th>
            <th scope="col">説明</th>
            <th scope="col">集計で数える</th>
            <th scope="col">点数</th>
            {p.computes && <th scope="col">手で選べる</th>}
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {p.grades.map((g, i) => (
            <GradeRow key={i} {...p} grade={g} index={i} />
          ))}
        </tbody>
      </table>
      <GroupError error={p.err.at(`${p.at}.grades`)} />
      <button
        type="button"
        className="button secondary small"
        onClick={() => p.onChange([...p.grades, { code: '', label: '', tally: true, points: '', hand: false }])}
      >
        記号を追加
      </button>
    </Section>
  );
}

function GradeRow({
  grades,
  onChange,
  at,
  err,
  computes,
  grade: g,
  index: i,
}: Props & { grade: GradeDraft; index: number }) {
  const set = (patch: Partial<GradeDraft>) => onChange(grades.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <tr>
      <td>
        <CellInput
          label={`${i + 1}番目の記号`}
          value={g.code}
          onChange={(code) => set({ code })}
          error={err.at(`${at}.grades.${i}.code`)}
        />
      </td>
      <td>
        <CellInput
          label={`「${g.code}」の説明`}
          value={g.label}
          onChange={(label) => set({ label })}
          error={err.at(`${at}.grades.${i}.label`)}
        />
      </td>
      <td className="center">
        <CellCheck label={`「${g.code}」を集計で数える`} checked={g.tally} onChange={(tally) => set({ tally })} />
      </td>
      <td>
        <CellInput
          label={`「${g.code}」の点数`}
          value={g.points}
          inputMode="decimal"
          onChange={(points) => set({ points })}
          error={err.at(`${at}.grades.${i}.points`)}
        />
      </td>
      {computes && (
        <td className="center">
          <CellCheck label={`「${g.code}」を手で選べる`} checked={g.hand} onChange={(hand) => set({ hand })} />
        </td>
      )}
      <td>
        <RowActions
          what={`「${g.code}」`}
          index={i}
          count={grades.length}
          onMove={(by) => onChange(moveItem(grades, i, by))}
          onRemove={() => onChange(grades.filter((_, j) => j !== i))}
        />
      </td>
    </tr>
  );
}
