import {
  ROLLUP_METHOD_LABELS,
  ROLLUP_METHODS,
  TREND_BASES,
  TREND_BASIS_LABELS,
  type Scale,
} from '../../../domain/evaluation/index.js';
import { ACTUAL_STATUS_LABELS, ACTUAL_STATUSES } from '../../../domain/values.js';
import { levelGradeIndex, moveItem, type LevelDraft, type RuleDraft } from './config-draft.js';
import {
  CellInput,
  CellSelect,
  codeChoices,
  GroupError,
  RowActions,
  Section,
  SelectField,
  TextField,
} from './controls.js';
import type { FieldErrors } from './field-errors.js';

/**
 * The fields of a scale's rule, by its kind: levels by lower bound and the code each prints as,
 * the codes for no target, for what cannot be computed and for actuals that are statuses, the
 * basis and tolerance of a trend, the done codes, and the method and bands of a rollup.
 */

export interface RuleProps {
  rule: RuleDraft;
  onChange(patch: Partial<RuleDraft>): void;
  /** the scale's legend: the codes a rule may print */
  codes: string[];
  /** the path of the rule: config.scales.0.rule */
  at: string;
  err: FieldErrors;
  /** for a rollup: the scale of the slot summed up, if a slot names one */
  childScale: Scale | null;
}

export function RuleFields(p: RuleProps) {
  const kind = p.rule.kind;
  return (
    <>
      {(kind === 'ratio' || kind === 'progress') && <LevelsTable {...p} />}
      {kind === 'trend' && <TrendFields {...p} />}
      {kind === 'done' && <DoneFields {...p} />}
      {kind === 'rollup' && <RollupFields {...p} />}
      {kind !== 'manual' && <SpecialCodes {...p} />}
    </>
  );
}

function LevelsTable(p: RuleProps) {
  const { rule, at, err } = p;
  const setLevel = (i: number, patch: Partial<LevelDraft>) =>
    p.onChange({ levels: rule.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  return (
    <Section title="段階（下限で判定）">
      <TextField
        label="段階の列名"
        value={rule.levelName}
        onChange={(levelName) => p.onChange({ levelName })}
        error={err.at(`${at}.levelName`)}
        size={12}
      />
      <p className="hint">
        {rule.kind === 'ratio' ? '達成率' : '進捗率'}
        が下限（%）以上なら、その段階です。上の段階から順に判定します。下限を空欄にした段階は、どの下限にも届かないものを受けます。
        {rule.kind === 'progress' && '0未満（マイナス）の下限で「後退」を表せます。'}
      </p>
      <table className="data-table compact eval-grid">
        <thead>
          <tr>
            <th scope="col">段階</th>
            <th scope="col">下限（%）</th>
            <th scope="col">表示する評価</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {rule.levels.map((l, i) => (
            <LevelRow key={i} {...p} level={l} index={i} onLevel={(patch) => setLevel(i, patch)} />
          ))}
        </tbody>
      </table>
      <GroupError error={err.at(`${at}.levels`) ?? err.at(`${at}.levelGrades`)} />
      <button
        type="button"
        className="button secondary small"
        onClick={() => p.onChange({ levels: [...rule.levels, { code: '', min: '', grade: '' }] })}
      >
        段階を追加
      </button>
    </Section>
  );
}

function LevelRow(p: RuleProps & { level: LevelDraft; index: number; onLevel(patch: Partial<LevelDraft>): void }) {
  const { level: l, index: i, at, err, rule } = p;
  const name = `段階「${l.code}」`;
  const mapped = levelGradeIndex(rule.levels, i);
  const mapError =
    mapped === null
      ? undefined
      : (err.at(`${at}.levelGrades.${mapped}.grade`) ?? err.at(`${at}.levelGrades.${mapped}.level`));
  return (
    <tr>
      <td>
        <CellInput
          label={`${i + 1}番目の段階の名前`}
          value={l.code}
          onChange={(code) => p.onLevel({ code })}
          error={err.at(`${at}.levels.${i}.code`)}
        />
      </td>
      <td>
        <CellInput
          label={`${name}の下限（%）`}
          value={l.min}
          inputMode="decimal"
          onChange={(min) => p.onLevel({ min })}
          error={err.at(`${at}.levels.${i}.min`)}
        />
      </td>
      <td>
        <CellSelect
          label={`${name}で表示する評価`}
          value={l.grade}
          options={codeChoices(p.codes, l.grade, '（段階の名前のまま）')}
          onChange={(grade) => p.onLevel({ grade })}
          error={mapError}
        />
      </td>
      <td>
        <RowActions
          what={name}
          index={i}
          count={rule.levels.length}
          onMove={(by) => p.onChange({ levels: moveItem(rule.levels, i, by) })}
          onRemove={() => p.onChange({ levels: rule.levels.filter((_, j) => j !== i) })}
        />
      </td>
    </tr>
  );
}

function CodeField(p: RuleProps & { field: keyof RuleDraft; label: string; optional?: string; hint?: string }) {
  const value = String(p.rule[p.field] ?? '');
  return (
    <SelectField
      label={p.label}
      hint={p.hint}
      value={value}
      options={codeChoices(p.codes, value, p.optional)}
      onChange={(v) => p.onChange({ [p.field]: v })}
      error={p.err.at(`${p.at}.${p.field}`)}
    />
  );
}

/** The codes for no target, for what cannot be computed, and for actuals that are statuses. */
function SpecialCodes(p: RuleProps) {
  const { rule } = p;
  const levelled = rule.kind === 'ratio' || rule.kind === 'progress';
  const statuses = rule.kind !== 'rollup';
  return (
    <Section title="計算によらない評価">
      <div className="eval-field-grid">
        {levelled && (
          <CodeField {...p} field="noTarget" label="目標が「—」（設定なし）のとき" optional="（評価しない）" />
        )}
        <CodeField
          {...p}
          field="cannotCompute"
          label={rule.kind === 'rollup' ? '下位に評価済みのものがないとき' : '計算できないとき'}
          hint={rule.kind === 'rollup' ? undefined : '目標や実績が数値でない、現状値がないなど'}
          optional="（評価しない）"
        />
        {statuses &&
          ACTUAL_STATUSES.map((st) => (
            <SelectField
              key={st}
              label={`実績が「${ACTUAL_STATUS_LABELS[st]}」のとき`}
              value={rule.statusGrades[st] ?? ''}
              options={codeChoices(p.codes, rule.statusGrades[st] ?? '', '（計算どおり）')}
              onChange={(v) => p.onChange({ statusGrades: { ...rule.statusGrades, [st]: v } })}
              error={p.err.at(`${p.at}.statusGrades.${st}`)}
            />
          ))}
      </div>
    </Section>
  );
}

function TrendFields(p: RuleProps) {
  const { rule, at, err } = p;
  return (
    <Section title="比べ方">
      <div className="eval-field-grid">
        <SelectField
          label="比べる相手"
          value={rule.against}
          options={TREND_BASES.map((b) => ({ value: b, label: TREND_BASIS_LABELS[b] }))}
          onChange={(v) => p.onChange({ against: v as RuleDraft['against'] })}
          error={err.at(`${at}.against`)}
        />
        <TextField
          label="横ばいとする変化の幅"
          hint="この幅以内の変化は横ばいです"
          value={rule.tolerance}
          onChange={(tolerance) => p.onChange({ tolerance })}
          error={err.at(`${at}.tolerance`)}
          size={8}
        />
        <SelectField
          label="幅の単位"
          value={rule.toleranceUnit}
          options={[
            { value: 'percent', label: '比べる相手の値に対する%' },
            { value: 'absolute', label: '指標の単位のまま' },
          ]}
          onChange={(v) => p.onChange({ toleranceUnit: v as RuleDraft['toleranceUnit'] })}
          error={err.at(`${at}.toleranceUnit`)}
        />
        <CodeField {...p} field="improved" label="改善したとき" />
        <CodeField {...p} field="unchanged" label="横ばいのとき" />
        <CodeField {...p} field="worsened" label="悪化したとき" />
      </div>
    </Section>
  );
}

function DoneFields(p: RuleProps) {
  return (
    <Section title="実施の記号">
      <div className="eval-field-grid">
        <CodeField {...p} field="done" label="実施（○、1以上の数値）のとき" />
        <CodeField {...p} field="notDone" label="未実施（×、0）のとき" />
        <CodeField {...p} field="notApplicable" label="該当なし（—）のとき" optional="（評価しない）" />
      </div>
    </Section>
  );
}

function RollupFields(p: RuleProps) {
  const { rule, at, err } = p;
  const banded = rule.method === 'share' || rule.method === 'average';
  return (
    <Section title="集約の方法">
      <SelectField
        label="下位の評価からの決め方"
        value={rule.method}
        options={ROLLUP_METHODS.map((m) => ({ value: m, label: ROLLUP_METHOD_LABELS[m] }))}
        onChange={(v) => p.onChange({ method: v as RuleDraft['method'] })}
        error={err.at(`${at}.method`)}
      />
      {rule.method === 'share' && <ShareOf {...p} />}
      {banded && <BandsTable {...p} />}
    </Section>
  );
}

function ShareOf(p: RuleProps) {
  const { rule } = p;
  const codes = p.childScale?.grades.map((g) => g.code) ?? [];
  const all = [...codes, ...rule.shareOf.filter((c) => !codes.includes(c))];
  return (
    <fieldset className={`plain eval-checks${p.err.at(`${p.at}.shareOf`) ? ' has-error' : ''}`}>
      <legend>割合を数える評価</legend>
      {all.length === 0 && <p className="hint">評価の項目で「集約の元」を選ぶと、その記号から選べます。</p>}
      {all.map((c) => (
        <label key={c} className="inline-check">
          <input
            type="checkbox"
            checked={rule.shareOf.includes(c)}
            onChange={(e) =>
              p.onChange({ shareOf: e.target.checked ? [...rule.shareOf, c] : rule.shareOf.filter((x) => x !== c) })
            }
          />
          {c}
        </label>
      ))}
      <GroupError error={p.err.at(`${p.at}.shareOf`)} />
    </fieldset>
  );
}

function BandsTable(p: RuleProps) {
  const { rule, at, err } = p;
  const setBand = (i: number, patch: Partial<RuleDraft['bands'][number]>) =>
    p.onChange({ bands: rule.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  const unit = rule.method === 'share' ? '（%）' : '（点）';
  return (
    <>
      <table className="data-table compact eval-grid eval-bands">
        <caption className="visually-hidden">段階</caption>
        <thead>
          <tr>
            <th scope="col">下限{unit}</th>
            <th scope="col">評価</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {rule.bands.map((b, i) => (
            <tr key={i}>
              <td>
                <CellInput
                  label={`${i + 1}番目の段階の下限${unit}`}
                  value={b.min}
                  inputMode="decimal"
                  onChange={(min) => setBand(i, { min })}
                  error={err.at(`${at}.bands.${i}.min`)}
                />
              </td>
              <td>
                <CellSelect
                  label={`${i + 1}番目の段階の評価`}
                  value={b.code}
                  options={codeChoices(p.codes, b.code, '（選んでください）')}
                  onChange={(code) => setBand(i, { code })}
                  error={err.at(`${at}.bands.${i}.code`)}
                />
              </td>
              <td>
                <RowActions
                  what={`${i + 1}番目の段階`}
                  index={i}
                  count={rule.bands.length}
                  onRemove={() => p.onChange({ bands: rule.bands.filter((_, j) => j !== i) })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <GroupError error={err.at(`${at}.bands`)} />
      <button
        type="button"
        className="button secondary small"
        onClick={() => p.onChange({ bands: [...rule.bands, { min: '', code: '' }] })}
      >
        段階を追加
      </button>
    </>
  );
}
