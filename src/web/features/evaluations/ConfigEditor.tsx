import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra } from '../../lib/hooks.js';
import type { EvaluationSettingsDto, EvaluationVersionDto } from '../../lib/types.js';
import { UnsavedGuard } from '../../components/UnsavedGuard.js';
import {
  configOf,
  draftOf,
  moveItem,
  newScale,
  newSlot,
  renameScaleKey,
  renameSlotKey,
  slotsOnScale,
  type ConfigDraft,
} from './config-draft.js';
import { fieldErrors } from './field-errors.js';
import { ItemList, type ItemSelection } from './ItemList.js';
import { PresetPicker } from './PresetPicker.js';
import { SaveBar } from './SaveBar.js';
import { ScalePanel } from './ScalePanel.js';
import { SlotPanel } from './SlotPanel.js';
import { RowActions } from './controls.js';
import { defaultFromYear, fixedNote, versionRange } from './versions.js';

interface Props {
  mid: number;
  pid: number;
  settings: EvaluationSettingsDto;
  version: EvaluationVersionDto;
  canEdit: boolean;
  levelNames: string[];
  onSaved(settings: EvaluationSettingsDto, fromYear: number): void;
}

/** The draft, what is selected in it, and saving it from a year. */
function useConfigEditor(p: Props) {
  const [draft, setDraft] = useState<ConfigDraft>(() => draftOf(p.version.config));
  const [selection, setSelection] = useState<ItemSelection>({ kind: 'slot', index: 0 });
  const [fromYear, setFromYear] = useState(() => defaultFromYear(p.settings, p.version));
  const [note, setNote] = useState('');
  const [attempted, setAttempted] = useState(false);
  const read = useMemo(() => configOf(draft), [draft]);
  const save = useMutation({
    mutationFn: () =>
      api.put<EvaluationSettingsDto>(`/api/m/${p.mid}/plans/${p.pid}/evaluation`, {
        fromYear,
        note,
        config: read.config,
      }),
    onSuccess: (settings) => p.onSaved(settings, fromYear),
    onError: (e) => {
      const first = fieldErrors([], e).first();
      if (first) setSelection(first);
    },
  });
  const err = fieldErrors(attempted ? read.problems : [], save.error);
  const submit = () => {
    setAttempted(true);
    const first = fieldErrors(read.problems, null).first();
    if (first) setSelection(first);
    else save.mutate();
  };
  const dirty = JSON.stringify(read.config) !== JSON.stringify(p.version.config);
  const change = (next: ConfigDraft) => {
    setDraft(next);
    save.reset();
  };
  return { draft, change, selection, setSelection, fromYear, setFromYear, note, setNote, save, submit, err, dirty };
}

type Editor = ReturnType<typeof useConfigEditor>;

export function ConfigEditor(p: Props) {
  const era = useEra();
  const e = useConfigEditor(p);
  const fixed = fixedNote(p.version, era);
  const savedKeys = useMemo(
    () => ({
      slots: new Set(p.settings.versions.flatMap((v) => v.config.slots.map((s) => s.key))),
      scales: new Set(p.version.config.scales.map((s) => s.key)),
    }),
    [p.settings, p.version],
  );
  return (
    <>
      {p.canEdit && <UnsavedGuard when={e.dirty} what="保存していない評価の設定" />}
      <h2 className="eval-version-title">{versionRange(p.version, era)}の版</h2>
      {fixed && <p className="notice">{fixed}</p>}
      {p.canEdit && (
        <PresetPicker
          presets={p.settings.presets}
          onPick={(config) => {
            e.change(draftOf(config));
            e.setSelection({ kind: 'slot', index: 0 });
          }}
        />
      )}
      <div className="eval-editor">
        <ItemList
          draft={e.draft}
          selection={e.selection}
          onSelect={e.setSelection}
          onAdd={(kind) => addItem(e, kind)}
          err={e.err}
          canEdit={p.canEdit}
        />
        <ItemPanel e={e} canEdit={p.canEdit} levelNames={p.levelNames} savedKeys={savedKeys} />
      </div>
      {p.canEdit && (
        <SaveBar
          settings={p.settings}
          fromYear={e.fromYear}
          onFromYear={e.setFromYear}
          note={e.note}
          onNote={e.setNote}
          error={e.save.error}
          busy={e.save.isPending}
          problems={e.err}
          draft={e.draft}
          onSave={e.submit}
        />
      )}
    </>
  );
}

function addItem(e: Editor, kind: 'slot' | 'scale') {
  if (kind === 'slot') {
    e.change({ ...e.draft, slots: [...e.draft.slots, newSlot(e.draft)] });
    e.setSelection({ kind, index: e.draft.slots.length });
  } else {
    e.change({ ...e.draft, scales: [...e.draft.scales, newScale(e.draft)] });
    e.setSelection({ kind, index: e.draft.scales.length });
  }
}

/** Moving and removing the selected slot or scale. */
function itemActions(e: Editor) {
  const { draft, selection: sel } = e;
  const list = sel.kind === 'slot' ? draft.slots : draft.scales;
  const put = (slots = draft.slots, scales = draft.scales) => e.change({ slots, scales });
  const move = (by: -1 | 1) => {
    if (sel.kind === 'slot') put(moveItem(draft.slots, sel.index, by));
    else put(draft.slots, moveItem(draft.scales, sel.index, by));
    e.setSelection({ ...sel, index: Math.min(Math.max(sel.index + by, 0), list.length - 1) });
  };
  const remove = () => {
    if (sel.kind === 'slot') put(draft.slots.filter((_, i) => i !== sel.index));
    else
      put(
        draft.slots,
        draft.scales.filter((_, i) => i !== sel.index),
      );
    e.setSelection({ ...sel, index: Math.max(0, Math.min(sel.index, list.length - 2)) });
  };
  return { list, move, remove };
}

function ItemPanel({
  e,
  canEdit,
  levelNames,
  savedKeys,
}: {
  e: Editor;
  canEdit: boolean;
  levelNames: string[];
  savedKeys: { slots: Set<string>; scales: Set<string> };
}) {
  const { draft, selection: sel } = e;
  const { list, move, remove } = itemActions(e);
  const item = list[sel.index];
  if (!item) return <p className="muted">左の一覧から評価の項目か尺度を選んでください。</p>;
  const what = sel.kind === 'slot' ? '評価の項目' : '尺度';
  const users = sel.kind === 'scale' ? slotsOnScale(draft, draft.scales[sel.index]!.key) : [];
  return (
    <section className="detail-panel eval-panel" aria-labelledby="eval-panel-title">
      <div className="eval-panel-head">
        <h3 id="eval-panel-title">
          {what}「{item.name || item.key}」
        </h3>
        {canEdit && (
          <RowActions
            what={`${what}「${item.name || item.key}」`}
            index={sel.index}
            count={list.length}
            onMove={move}
            onRemove={remove}
            removeDisabled={users.length > 0 || list.length === 1}
          />
        )}
      </div>
      {users.length > 0 && canEdit && (
        <p className="hint">{users.map((s) => `「${s.name || s.key}」`).join('')}で使っているため削除できません。</p>
      )}
      <fieldset className="plain" disabled={!canEdit}>
        <legend className="visually-hidden">{what}の設定</legend>
        {sel.kind === 'slot' ? (
          <SlotPanel
            draft={draft}
            index={sel.index}
            onChange={(slot) => e.change({ ...draft, slots: draft.slots.map((s, i) => (i === sel.index ? slot : s)) })}
            onRenameKey={(key) => e.change(renameSlotKey(draft, sel.index, key))}
            err={e.err}
            keyLocked={savedKeys.slots.has(draft.slots[sel.index]!.key)}
            levelNames={levelNames}
          />
        ) : (
          <ScalePanel
            draft={draft}
            index={sel.index}
            onChange={(scale) =>
              e.change({ ...draft, scales: draft.scales.map((s, i) => (i === sel.index ? scale : s)) })
            }
            onRenameKey={(key) => e.change(renameScaleKey(draft, sel.index, key))}
            err={e.err}
            keyLocked={savedKeys.scales.has(draft.scales[sel.index]!.key)}
          />
        )}
      </fieldset>
    </section>
  );
}
