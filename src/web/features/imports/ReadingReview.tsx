import { useQuery } from '@tanstack/react-query';
import type { Department } from '../../../domain/api-types.js';
import { NAME_KIND_LABELS, nameOutcome, shiftText } from '../../../domain/import/reading-labels.js';
import { api } from '../../lib/api.js';
import {
  namesToAccept,
  newNames,
  suggestedFixes,
  wordsToAccept,
  type CorrectionAction,
  type ImportState,
  type Preview,
} from './import-reducer.js';

interface ReviewProps {
  mid: number;
  state: ImportState;
  preview: Preview;
  onCorrect(action: CorrectionAction): void;
}

/** The user's own move of a line, 0 where it is not moved. */
const movedBy = (s: ImportState, line: number) => s.fixes.moves.find((m) => m.line === line)?.shift ?? 0;

/** The lines a name is written on: the first few, and how many more. */
const lines = (ls: readonly number[]) =>
  ls
    .slice(0, 5)
    .map((l) => `${l}行目`)
    .join('・') + (ls.length > 5 ? ` ほか${ls.length - 5}行` : '');

/**
 * What the reading did and doubts, each for the user to keep or undo: the repairs it made (自動修正),
 * the moves it suggests, the department names it read otherwise than written, the words it suspects.
 */
export function ReadingReview({ mid, state, preview, onCorrect }: ReviewProps) {
  return (
    <div className="reading-review">
      <RepairList state={state} preview={preview} onCorrect={onCorrect} />
      <Suggestions state={state} onCorrect={onCorrect} />
      <NameList mid={mid} state={state} preview={preview} onCorrect={onCorrect} />
      <WordList state={state} onCorrect={onCorrect} />
    </div>
  );
}

/** 自動修正: the repairs made without asking, each undone with one click; repairs can be turned off. */
function RepairList({ state, preview, onCorrect }: Omit<ReviewProps, 'mid'>) {
  const { repairs } = preview;
  const rejected = state.fixes.rejected;
  return (
    <section className="review-block" aria-labelledby="repairs-title">
      <h3 id="repairs-title">自動修正（{state.autoRepair ? `${repairs.length}件` : '使っていません'}）</h3>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={state.autoRepair}
          onChange={(e) => onCorrect({ type: 'autoRepairChanged', on: e.target.checked })}
        />
        自動修正を使う（崩れた行を、直した行が普通の行と同じ確認に通るときだけ直します）
      </label>
      {state.autoRepair && repairs.length > 0 && (
        <ul className="review-list">
          {repairs.map((r) => (
            <li key={`${r.line}-${r.kind}`}>
              <span>
                <strong>{r.line}行目</strong>: {r.reason}
              </span>
              <button
                type="button"
                className="button secondary small"
                aria-label={`${r.line}行目の自動修正を元に戻す`}
                onClick={() => onCorrect({ type: 'repairUndone', line: r.line })}
              >
                元に戻す
              </button>
            </li>
          ))}
        </ul>
      )}
      {rejected.length > 0 && (
        <ul className="review-list">
          {rejected.map((line) => (
            <li key={line}>
              <span>
                {line}行目: 自動修正を元に戻しました
                {movedBy(state, line)
                  ? `（修正内容で${shiftText(movedBy(state, line))}ずらしています）`
                  : '（書かれたとおりに読みます）'}
              </span>
              <button
                type="button"
                className="button secondary small"
                aria-label={`${line}行目を再び自動修正する`}
                onClick={() => onCorrect({ type: 'repairRestored', line })}
              >
                再び直す
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The moves still suggested for flagged rows (each row also offers its own in the table). */
function Suggestions({ state, onCorrect }: Pick<ReviewProps, 'state' | 'onCorrect'>) {
  const fixes = suggestedFixes(state);
  if (fixes.length === 0) return null;
  return (
    <section className="review-block" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">列のずれの提案（{fixes.length}件）</h3>
      <p>
        {fixes.map((f) => `${f.line}行目を${shiftText(f.shift)}`).join('、')}
        ずらすと読めます。各行は下の表でも直せます。
      </p>
      <button type="button" className="button secondary" onClick={() => onCorrect({ type: 'allFixesAccepted' })}>
        提案をすべて適用
      </button>
    </section>
  );
}

function useDepartments(mid: number) {
  return useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
}

/** Department names not matched as written to a registered department, and what each becomes. */
function NameList({ mid, state, preview, onCorrect }: ReviewProps) {
  const departments = useDepartments(mid).data ?? [];
  const names = preview.names.filter((n) => n.kind !== 'known');
  const accepted = state.fixes.names;
  // Names read otherwise that the reading no longer lists (they now match): shown with their undo.
  const settled = Object.entries(accepted).filter(([written]) => !names.some((n) => n.written === written));
  if (names.length === 0 && settled.length === 0) return null;
  const offered = namesToAccept(state);
  const unregistered = newNames(state);
  return (
    <section className="review-block wide" aria-labelledby="names-title">
      <h3 id="names-title">担当課の名前（登録済みの課と一致しないもの {names.length}件）</h3>
      {unregistered.length > 0 && (
        <p className={state.target.createDepartments ? 'muted' : 'field-error'}>
          {state.target.createDepartments
            ? `登録されていない課 ${unregistered.length}件は、取り込むときに新しく登録します。`
            : `登録されていない課が ${unregistered.length}件あります。既存の課に読み替えるか、下の「4. 取り込み先」で「組織に登録されていない担当課は、新しく登録する」を選んでください。`}
        </p>
      )}
      {offered.length > 0 && (
        <button type="button" className="button secondary" onClick={() => onCorrect({ type: 'allNamesAccepted' })}>
          担当課の読み替えをすべて適用（{offered.length}件）
        </button>
      )}
      <div className="table-scroll" role="region" aria-label="登録済みの課と一致しない担当課名の一覧" tabIndex={0}>
        <table className="data-table compact names-table">
          <caption className="visually-hidden">担当課の名前と取り込み後の課</caption>
          <thead>
            <tr>
              <th scope="col">書かれた名前</th>
              <th scope="col">判定</th>
              <th scope="col">行</th>
              <th scope="col">取り込み後</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => (
              <tr key={n.written}>
                <th scope="row">{n.written}</th>
                <td>{NAME_KIND_LABELS[n.kind]}</td>
                <td>{lines(n.lines)}</td>
                <td>
                  {n.written in accepted
                    ? nameOutcome(n, accepted[n.written])
                    : n.kind === 'variant' || n.kind === 'near'
                      ? `「${n.written}」のまま（候補: 「${n.meant ?? ''}」）`
                      : n.kind === 'new' && !state.target.createDepartments
                        ? '登録されていないため取り込めません'
                        : nameOutcome(n)}
                </td>
                <td>
                  <NameAction n={n} accepted={accepted} departments={departments} onCorrect={onCorrect} />
                </td>
              </tr>
            ))}
            {settled.map(([written, meant]) => (
              <tr key={written}>
                <th scope="row">{written}</th>
                <td>読み替え済み</td>
                <td>—</td>
                <td>{meant === '' ? '担当課なし（まとめの語）' : `「${meant}」`}</td>
                <td>
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`「${written}」の読み替えを戻す`}
                    onClick={() => onCorrect({ type: 'nameReverted', written })}
                  >
                    戻す
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function NameAction({
  n,
  accepted,
  departments,
  onCorrect,
}: {
  n: Preview['names'][number];
  accepted: Record<string, string>;
  departments: Department[];
  onCorrect(action: CorrectionAction): void;
}) {
  if (n.kind === 'new')
    return (
      <select
        aria-label={`「${n.written}」の読み替え先`}
        value={accepted[n.written] ?? ''}
        onChange={(e) =>
          onCorrect(
            e.target.value
              ? { type: 'nameAccepted', written: n.written, meant: e.target.value }
              : { type: 'nameReverted', written: n.written },
          )
        }
      >
        <option value="">新しい課として登録する</option>
        {departments.map((d) => (
          <option key={d.id} value={d.name}>
            既存の「{d.name}」に読み替える
          </option>
        ))}
      </select>
    );
  if (n.written in accepted)
    return (
      <button
        type="button"
        className="button secondary small"
        aria-label={`「${n.written}」の読み替えを戻す`}
        onClick={() => onCorrect({ type: 'nameReverted', written: n.written })}
      >
        戻す
      </button>
    );
  if ((n.kind === 'variant' || n.kind === 'near') && n.meant !== null)
    return (
      <button
        type="button"
        className="button secondary small"
        aria-label={`「${n.written}」を「${n.meant}」に読み替える`}
        onClick={() => onCorrect({ type: 'nameAccepted', written: n.written, meant: n.meant! })}
      >
        読み替える
      </button>
    );
  return null;
}

/** Probable misreads, offered and never forced; the accepted ones with their undo. */
function WordList({ state, onCorrect }: Pick<ReviewProps, 'state' | 'onCorrect'>) {
  const offered = wordsToAccept(state);
  const accepted = Object.entries(state.fixes.words);
  if (offered.length === 0 && accepted.length === 0) return null;
  return (
    <section className="review-block wide" aria-labelledby="words-title">
      <h3 id="words-title">読み違いの候補（{offered.length}件）</h3>
      {offered.length > 0 && (
        <>
          <p className="muted">
            文書のほかの箇所と1文字だけ違う語です。読み違いなら読み替えてください（読み替えなければ、書かれたとおりに取り込みます）。
          </p>
          <button type="button" className="button secondary" onClick={() => onCorrect({ type: 'allWordsAccepted' })}>
            読み違いの候補をすべて適用（{offered.length}件）
          </button>
          <ul className="review-list">
            {offered.map((x) => (
              <li key={`${x.line}-${x.field}-${x.word}`}>
                <span>
                  {x.line}行目 {x.field}: 「{x.word}」→「{x.suggestion}」？
                </span>
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={`「${x.word}」を「${x.suggestion}」に読み替える`}
                  onClick={() => onCorrect({ type: 'wordAccepted', word: x.word, suggestion: x.suggestion })}
                >
                  読み替える
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {accepted.length > 0 && (
        <ul className="review-list">
          {accepted.map(([word, meant]) => (
            <li key={word}>
              <span>
                「{word}」を「{meant}」と読み替えています
              </span>
              <button
                type="button"
                className="button secondary small"
                aria-label={`「${word}」の読み替えを戻す`}
                onClick={() => onCorrect({ type: 'wordReverted', word })}
              >
                戻す
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
