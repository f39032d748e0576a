import type { CustomFieldDef } from '../../../domain/plan-fields.js';
import { useId, useState } from 'react';
import type { RecordDto, SheetItem } from '../../lib/types.js';
import { useSession } from '../../lib/session.js';
import { codeSpeech, findSlot, slotScale, type EvaluationConfig } from '../../../domain/evaluation/index.js';
import { mergeDrafts, mergeOf, type Draft, type MergeField } from './record-edit-state.js';
import { entryLabel } from './sheet-evaluation.js';

type Choice = Record<string, 'mine' | 'theirs'>;

/**
 * Both versions side by side. What only the other person changed is taken in as they saved it;
 * what only this user changed is kept; for each field both changed differently the user keeps
 * their own input or takes the saved one.
 */
export function ConflictPanel({
  mine,
  theirs,
  base,
  item,
  config,
  fields,
  onMerge,
  onTakeTheirs,
}: {
  mine: Draft;
  theirs: RecordDto;
  base: RecordDto;
  item: SheetItem;
  /** the plan's evaluations this year, to name the evaluations that differ */
  config: EvaluationConfig;
  /** the plan's extra fields, to name those that differ */
  fields: CustomFieldDef[];
  onMerge(d: Draft): void;
  onTakeTheirs(): void;
}) {
  const id = useId();
  const { session } = useSession();
  const merge = mergeOf(mine, theirs, base, item.indicators, {
    department: (deptId) => item.others.find((o) => o.departmentId === deptId)?.name ?? '他の課',
    entry: (ref) => entryLabel(config, item.indicators, ref),
    code: (ref, code) => {
      const slot = findSlot(config, ref.slotKey);
      return slot ? codeSpeech(slotScale(config, slot), code) : code;
    },
    custom: (key) => fields.find((f) => f.key === key)?.label ?? key,
  });
  const [choice, setChoice] = useState<Choice>({});
  // The same person in another tab or window is told so, not shown as "someone else".
  const self = theirs.updatedByName !== null && theirs.updatedByName === session.user?.displayName;
  const who = self ? 'あなたが別の画面で' : `${theirs.updatedByName ?? '他の利用者'}さんが`;
  const whose = self ? '別の画面で保存した内容' : `${theirs.updatedByName ?? '他の利用者'}さんの保存した内容`;
  return (
    <section role="alert" className="conflict" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{who}この回答を先に保存しました。あなたの入力はまだ保存されていません。</h3>
      {merge.theirs.length > 0 && (
        <p>
          {whose}のうち、あなたが変えていない項目（{merge.theirs.map((f) => f.label).join('、')}
          ）はそのまま取り込みます。
        </p>
      )}
      {merge.conflicts.length === 0 ? (
        <p>両方で変えた項目はありません。「選んだ内容で保存する」で、あなたの入力と取り込んだ内容を保存します。</p>
      ) : (
        <>
          <p>両方で変えた項目は、残す内容を選んでから「選んだ内容で保存する」を押してください。</p>
          <ConflictTable
            id={id}
            whose={whose}
            conflicts={merge.conflicts}
            choice={choice}
            onChoose={(key, pick) => setChoice((c) => ({ ...c, [key]: pick }))}
          />
        </>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button primary"
          onClick={() => onMerge(mergeDrafts(mine, theirs, item.indicators, merge, choice))}
        >
          選んだ内容で保存する
        </button>
        <button type="button" className="button secondary" onClick={onTakeTheirs}>
          相手の内容を読み込む（自分の入力は破棄）
        </button>
      </div>
    </section>
  );
}

/** The fields both changed, each with a choice between this user's input and the saved one. */
function ConflictTable({
  id,
  whose,
  conflicts,
  choice,
  onChoose,
}: {
  /** the panel's id, naming each field's pair of radio buttons */
  id: string;
  whose: string;
  conflicts: MergeField[];
  choice: Choice;
  onChoose(key: string, pick: 'mine' | 'theirs'): void;
}) {
  return (
    <table className="data-table conflict-table">
      <caption className="visually-hidden">あなたの入力と{whose}</caption>
      <thead>
        <tr>
          <th scope="col">項目</th>
          <th scope="col">あなたの入力</th>
          <th scope="col">{whose}</th>
        </tr>
      </thead>
      <tbody>
        {conflicts.map((f) => {
          const picked = choice[f.key] ?? 'mine';
          return (
            <tr key={f.key}>
              <th scope="row">{f.label}</th>
              <td>
                <label className="choice">
                  <input
                    type="radio"
                    name={`${id}-${f.key}`}
                    checked={picked === 'mine'}
                    onChange={() => onChoose(f.key, 'mine')}
                  />
                  <span className="visually-hidden">{f.label}: あなたの入力を残す</span>
                  <span className="conflict-text">{f.mine}</span>
                </label>
              </td>
              <td>
                <label className="choice">
                  <input
                    type="radio"
                    name={`${id}-${f.key}`}
                    checked={picked === 'theirs'}
                    onChange={() => onChoose(f.key, 'theirs')}
                  />
                  <span className="visually-hidden">
                    {f.label}: {whose}にする
                  </span>
                  <span className="conflict-text">{f.theirs}</span>
                </label>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
