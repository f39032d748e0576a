import { PHASE_LABELS, PHASES } from '../../../domain/cycle-terms.js';
import {
  ENTRY_ROLE_LABELS,
  ENTRY_ROLES,
  INDICATOR_PURPOSE_LABELS,
  INDICATOR_PURPOSES,
  RULE_KIND_LABELS,
  SUBJECT_KIND_LABELS,
  SUBJECT_KINDS,
  type Slot,
} from '../../../domain/evaluation/index.js';
import { slotFieldsShown, type ConfigDraft } from './config-draft.js';
import { CheckField, GroupError, SelectField, TextField, type Option } from './controls.js';
import type { FieldErrors } from './field-errors.js';

interface Props {
  draft: ConfigDraft;
  index: number;
  onChange(slot: Slot): void;
  onRenameKey(key: string): void;
  err: FieldErrors;
  keyLocked: boolean;
  /** the plan's level names, by depth (基本目標, 施策 …) */
  levelNames: string[];
}

/** One slot: what it evaluates, who enters it and when, on which scale, and how it prints and counts. */
export function SlotPanel(p: Props) {
  const slot = p.draft.slots[p.index]!;
  const at = `config.slots.${p.index}`;
  const set = (patch: Partial<Slot>) => p.onChange({ ...slot, ...patch });
  const shown = slotFieldsShown(slot, p.draft.scales);
  return (
    <>
      <div className="eval-field-grid">
        <TextField
          label="名前（報告の列名）"
          value={slot.name}
          onChange={(name) => set({ name })}
          error={p.err.at(`${at}.name`)}
        />
        <TextField
          label="キー（半角英小文字）"
          hint={p.keyLocked ? '保存済みの評価のキーは変えられません' : '入力された評価と結びつく名前です'}
          value={slot.key}
          readOnly={p.keyLocked}
          onChange={p.onRenameKey}
          error={p.err.at(`${at}.key`)}
        />
      </div>
      <SubjectFields {...p} slot={slot} set={set} at={at} />
      <div className="eval-field-grid">
        <SelectField
          label="入力する人"
          value={slot.enteredBy}
          options={ENTRY_ROLES.map((r) => ({ value: r, label: ENTRY_ROLE_LABELS[r] }))}
          onChange={(v) => set({ enteredBy: v as Slot['enteredBy'] })}
          error={p.err.at(`${at}.enteredBy`)}
        />
        <SelectField
          label="入力する時期"
          value={slot.phase ?? ''}
          options={[{ value: '', label: 'いつでも' }, ...PHASES.map((ph) => ({ value: ph, label: PHASE_LABELS[ph] }))]}
          onChange={(v) => set({ phase: v === '' ? null : (v as Slot['phase']) })}
          error={p.err.at(`${at}.phase`)}
        />
        <SelectField
          label="尺度"
          value={slot.scale}
          options={scaleOptions(p.draft, slot.scale)}
          onChange={(scale) => set({ scale })}
          error={p.err.at(`${at}.scale`)}
        />
        {shown.rollupFrom && (
          <SelectField
            label="集約の元（下位の評価）"
            value={slot.rollupFrom ?? ''}
            options={slotOptions(p.draft, slot, '（選んでください）', () => true)}
            onChange={(v) => set({ rollupFrom: v || null })}
            error={p.err.at(`${at}.rollupFrom`)}
          />
        )}
        {shown.checkAgainst && (
          <SelectField
            label="自己評価の点検で照合する評価"
            hint="計算と食い違う自己評価に注意を出します"
            value={slot.checkAgainst ?? ''}
            options={slotOptions(p.draft, slot, '（照合しない）', (s) => s.enteredBy === 'computed')}
            onChange={(v) => set({ checkAgainst: v || null })}
            error={p.err.at(`${at}.checkAgainst`)}
          />
        )}
      </div>
      <SlotChecks slot={slot} set={set} at={at} err={p.err} shown={shown} />
    </>
  );
}

function scaleOptions(draft: ConfigDraft, current: string): Option[] {
  const out = draft.scales.map((s) => ({
    value: s.key,
    label: `${s.name || s.key}（${RULE_KIND_LABELS[s.rule.kind].replace(/（.*$/, '')}）`,
  }));
  if (!draft.scales.some((s) => s.key === current)) out.unshift({ value: current, label: '（選んでください）' });
  return out;
}

function slotOptions(draft: ConfigDraft, self: Slot, none: string, fits: (s: Slot) => boolean): Option[] {
  return [
    { value: '', label: none },
    ...draft.slots.filter((s) => s.key !== self.key && fits(s)).map((s) => ({ value: s.key, label: s.name || s.key })),
  ];
}

function SubjectFields({
  slot,
  set,
  at,
  err,
  levelNames,
}: Props & { slot: Slot; set(patch: Partial<Slot>): void; at: string }) {
  const depthOptions = [
    { value: '', label: 'すべての階層' },
    ...levelNames.map((name, depth) => ({ value: String(depth), label: `${name}（第${depth + 1}階層）` })),
  ];
  if (slot.depth !== null && slot.depth >= levelNames.length)
    depthOptions.push({ value: String(slot.depth), label: `第${slot.depth + 1}階層` });
  return (
    <div className="eval-field-grid">
      <SelectField
        label="評価する対象"
        value={slot.subject}
        options={SUBJECT_KINDS.map((k) => ({ value: k, label: SUBJECT_KIND_LABELS[k] }))}
        onChange={(v) => set({ subject: v as Slot['subject'] })}
        error={err.at(`${at}.subject`)}
      />
      {slot.subject === 'node' && (
        <SelectField
          label="体系の階層"
          value={slot.depth === null ? '' : String(slot.depth)}
          options={depthOptions}
          onChange={(v) => set({ depth: v === '' ? null : Number(v) })}
          error={err.at(`${at}.depth`)}
        />
      )}
      {slot.subject === 'indicator' && (
        <fieldset className="plain eval-checks">
          <legend>評価する指標の種類</legend>
          {INDICATOR_PURPOSES.map((pu) => (
            <label key={pu} className="inline-check">
              <input
                type="checkbox"
                checked={slot.purposes.includes(pu)}
                onChange={(e) =>
                  set({ purposes: e.target.checked ? [...slot.purposes, pu] : slot.purposes.filter((x) => x !== pu) })
                }
              />
              {INDICATOR_PURPOSE_LABELS[pu]}
            </label>
          ))}
          <GroupError error={err.at(`${at}.purposes`)} />
        </fieldset>
      )}
    </div>
  );
}

function SlotChecks({
  slot,
  set,
  at,
  err,
  shown,
}: {
  slot: Slot;
  set(patch: Partial<Slot>): void;
  at: string;
  err: FieldErrors;
  shown: ReturnType<typeof slotFieldsShown>;
}) {
  return (
    <fieldset className="plain eval-checks">
      <legend>入力と表示</legend>
      {shown.override && (
        <CheckField
          label="担当課が計算と異なる評価を理由つきで入力できる"
          checked={slot.override}
          onChange={(override) => set({ override })}
          error={err.at(`${at}.override`)}
        />
      )}
      <CheckField
        label="評価にコメントを添える（審議会の意見、総評など）"
        checked={slot.comment}
        onChange={(comment) => set({ comment })}
        error={err.at(`${at}.comment`)}
      />
      {shown.required && (
        <CheckField
          label="入力しないと提出できない"
          checked={slot.required}
          onChange={(required) => set({ required })}
          error={err.at(`${at}.required`)}
        />
      )}
      <CheckField
        label="報告に印刷する"
        checked={slot.printed}
        onChange={(printed) => set({ printed })}
        error={err.at(`${at}.printed`)}
      />
      <CheckField
        label="集計で数える"
        checked={slot.tallied}
        onChange={(tallied) => set({ tallied })}
        error={err.at(`${at}.tallied`)}
      />
    </fieldset>
  );
}
