import { useMemo } from 'react';
import { RULE_KIND_LABELS, RULE_KINDS, type RuleKind, type Scale } from '../../../domain/evaluation/index.js';
import { previewScale, type ConfigDraft, type RuleDraft, type ScaleDraft } from './config-draft.js';
import { SelectField, TextField } from './controls.js';
import type { FieldErrors } from './field-errors.js';
import { GradesTable } from './GradesTable.js';
import { RuleFields } from './RuleFields.js';
import { ScalePreview } from './ScalePreview.js';

/** The scale of the slot a rollup on this scale sums up, for the rollup's codes and its preview. */
function childScaleOf(draft: ConfigDraft, key: string): Scale | null {
  const rolling = draft.slots.find((s) => s.scale === key && s.rollupFrom);
  const from = rolling && draft.slots.find((s) => s.key === rolling.rollupFrom);
  const scale = from && draft.scales.find((s) => s.key === from.scale);
  return scale ? previewScale(scale) : null;
}

/** One scale: its name and key, its rule, its legend, and the live preview of what it computes. */
export function ScalePanel({
  draft,
  index,
  onChange,
  onRenameKey,
  err,
  keyLocked,
}: {
  draft: ConfigDraft;
  index: number;
  onChange(scale: ScaleDraft): void;
  onRenameKey(key: string): void;
  err: FieldErrors;
  /** the key is already saved: entries and slots refer to it */
  keyLocked: boolean;
}) {
  const scale = draft.scales[index]!;
  const at = `config.scales.${index}`;
  const setRule = (patch: Partial<RuleDraft>) => onChange({ ...scale, rule: { ...scale.rule, ...patch } });
  const live = useMemo(() => previewScale(scale), [scale]);
  const childScale = useMemo(() => childScaleOf(draft, scale.key), [draft, scale.key]);
  const codes = scale.grades.map((g) => g.code.trim()).filter(Boolean);
  return (
    <>
      <div className="eval-field-grid">
        <TextField
          label="尺度の名前"
          value={scale.name}
          onChange={(name) => onChange({ ...scale, name })}
          error={err.at(`${at}.name`)}
        />
        <TextField
          label="キー（半角英小文字）"
          hint={keyLocked ? '保存済みの尺度のキーは変えられません' : '評価の項目から参照する名前です'}
          value={scale.key}
          readOnly={keyLocked}
          onChange={onRenameKey}
          error={err.at(`${at}.key`)}
        />
      </div>
      <SelectField
        label="評価の決め方"
        value={scale.rule.kind}
        options={RULE_KINDS.map((k) => ({ value: k, label: RULE_KIND_LABELS[k] }))}
        onChange={(kind) => setRule({ kind: kind as RuleKind })}
        error={err.at(`${at}.rule.kind`) ?? err.at(`${at}.rule`)}
      />
      <RuleFields
        rule={scale.rule}
        onChange={setRule}
        codes={codes}
        at={`${at}.rule`}
        err={err}
        childScale={childScale}
      />
      <GradesTable
        grades={scale.grades}
        onChange={(grades) => onChange({ ...scale, grades })}
        at={at}
        err={err}
        computes={scale.rule.kind !== 'manual'}
      />
      <ScalePreview scale={live} childScale={childScale} />
    </>
  );
}
