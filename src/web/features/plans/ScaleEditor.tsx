import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { ErrorAlert } from '../../components/forms.js';
import { SCALE_METHODS, SCALE_METHOD_LABELS, type EvaluationScale } from '../../../domain/evaluation.js';
import { ACTUAL_STATUSES, ACTUAL_STATUS_LABELS } from '../../../domain/values.js';
import type { SavedScaleResponse, ScaleResponse } from '../../lib/types.js';

/**
 * 評価の方法: how this plan's grades are reached — by hand from a legend, or computed from the
 * indicators with levels by lower bound and what each level prints as. All of it is data.
 */
export function ScaleEditor({ mid, planId, canEdit }: { mid: number; planId: number; canEdit: boolean }) {
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['scale', mid, planId],
    queryFn: () => api.get<ScaleResponse>(`/api/m/${mid}/plans/${planId}/scale`),
  });
  const [draft, setDraft] = useState<EvaluationScale | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (scale: EvaluationScale) => api.put<SavedScaleResponse>(`/api/m/${mid}/plans/${planId}/scale`, scale),
    onSuccess: () => {
      setSaved(true);
      void client.invalidateQueries({ queryKey: ['scale', mid, planId] });
      void client.invalidateQueries({ queryKey: ['plan', mid, planId] });
    },
  });
  if (!q.data) return <ErrorAlert error={q.error} />;
  const s = draft ?? q.data.scale;
  const set = (patch: Partial<EvaluationScale>) => {
    setSaved(false);
    setDraft({ ...s, ...patch });
  };
  const setGrade = (i: number, patch: Partial<EvaluationScale['grades'][number]>) =>
    set({ grades: s.grades.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const setLevel = (i: number, patch: Partial<EvaluationScale['levels'][number]>) =>
    set({ levels: s.levels.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const computes = s.method === 'ratio' || s.method === 'progress';
  const err = save.error instanceof ApiError ? save.error : null;
  const codes = s.grades.map((g) => g.code);
  return (
    <section className="detail-panel" aria-labelledby="scale-title">
      <h2 id="scale-title">評価の方法</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(s);
        }}
      >
        <fieldset disabled={!canEdit}>
          <legend className="visually-hidden">評価の方法の設定</legend>
          <div className="field">
            <label htmlFor="scale-preset">よく使われる方法から始める</label>
            <select
              id="scale-preset"
              value=""
              onChange={(e) => {
                const p = q.data.presets.find((x) => x.name === e.target.value);
                if (p) set(structuredClone(p.scale));
              }}
            >
              <option value="">（選ぶと下の設定を置き換えます）</option>
              {q.data.presets.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="scale-method">評価の決め方</label>
            <select
              id="scale-method"
              value={s.method}
              onChange={(e) => set({ method: e.target.value as EvaluationScale['method'] })}
            >
              {SCALE_METHODS.map((m) => (
                <option key={m} value={m}>
                  {SCALE_METHOD_LABELS[m]}
                </option>
              ))}
            </select>
          </div>

          <table className="data-table compact scale-table">
            <caption>評価の記号と凡例（表示する順）</caption>
            <thead>
              <tr>
                <th scope="col">記号</th>
                <th scope="col">意味（凡例・読み上げ）</th>
                <th scope="col">集計に数える</th>
                <th scope="col">点数（総合評価用）</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {s.grades.map((g, i) => (
                <tr key={i}>
                  <td>
                    <input
                      aria-label={`${i + 1}番目の記号`}
                      size={6}
                      value={g.code}
                      onChange={(e) => setGrade(i, { code: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`${i + 1}番目の意味`}
                      value={g.label}
                      onChange={(e) => setGrade(i, { label: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`「${g.code}」を集計に数える`}
                      checked={g.tally}
                      onChange={(e) => setGrade(i, { tally: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`「${g.code}」の点数`}
                      type="number"
                      size={4}
                      value={g.score ?? ''}
                      onChange={(e) => setGrade(i, { score: e.target.value === '' ? null : Number(e.target.value) })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button secondary small"
                      onClick={() => set({ grades: s.grades.filter((_, j) => j !== i) })}
                    >
                      「{g.code}」を削除
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="button secondary small"
            onClick={() => set({ grades: [...s.grades, { code: '', label: '', tally: true, score: null }] })}
          >
            記号を追加
          </button>

          {computes && (
            <>
              <div className="field">
                <label htmlFor="scale-level-name">段階の列名</label>
                <input id="scale-level-name" value={s.levelName} onChange={(e) => set({ levelName: e.target.value })} />
              </div>
              <table className="data-table compact scale-table">
                <caption>
                  段階（
                  {s.method === 'ratio'
                    ? '達成率 = 実績 ÷ 目標。少ないほどよい指標は 目標 ÷ 実績'
                    : '進み具合 = (実績 − 現状値) ÷ (最終目標 − 現状値)'}
                  ）
                </caption>
                <thead>
                  <tr>
                    <th scope="col">段階</th>
                    <th scope="col">下限（%以上）</th>
                    <th scope="col">表示する評価</th>
                    <th scope="col">操作</th>
                  </tr>
                </thead>
                <tbody>
                  {s.levels.map((l, i) => (
                    <tr key={i}>
                      <td>
                        <input
                          aria-label={`${i + 1}番目の段階`}
                          size={4}
                          value={l.code}
                          onChange={(e) => setLevel(i, { code: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={`段階「${l.code}」の下限（%）`}
                          type="number"
                          size={5}
                          value={l.min}
                          onChange={(e) => setLevel(i, { min: Number(e.target.value) })}
                        />
                      </td>
                      <td>
                        <CodeSelect
                          label={`段階「${l.code}」で表示する評価`}
                          codes={codes}
                          empty="（段階をそのまま表示）"
                          value={s.levelGrades.find((m) => m.level === l.code)?.grade ?? null}
                          onChange={(grade) =>
                            set({
                              levelGrades: [
                                ...s.levelGrades.filter((m) => m.level !== l.code),
                                ...(grade ? [{ level: l.code, grade }] : []),
                              ],
                            })
                          }
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() =>
                            set({
                              levels: s.levels.filter((_, j) => j !== i),
                              levelGrades: s.levelGrades.filter((m) => m.level !== l.code),
                            })
                          }
                        >
                          段階「{l.code}」を削除
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button
                type="button"
                className="button secondary small"
                onClick={() => set({ levels: [...s.levels, { code: String(s.levels.length + 1), min: 0 }] })}
              >
                段階を追加
              </button>
              <div className="field">
                <label htmlFor="scale-no-target">目標が「—」のとき表示する評価</label>
                <CodeSelect
                  id="scale-no-target"
                  codes={codes}
                  empty="（表示しない）"
                  value={s.noTargetGrade}
                  onChange={(noTargetGrade) => set({ noTargetGrade })}
                />
              </div>
            </>
          )}
          {s.method === 'done' && (
            <div className="field-row">
              {(['doneGrade', 'notDoneGrade'] as const).map((k) => (
                <div className="field" key={k}>
                  <label htmlFor={`scale-${k}`}>{k === 'doneGrade' ? '実施のとき' : '未実施のとき'}</label>
                  <CodeSelect
                    id={`scale-${k}`}
                    codes={codes}
                    empty="（なし）"
                    value={s[k]}
                    onChange={(code) => set({ [k]: code })}
                  />
                </div>
              ))}
            </div>
          )}
          {s.method !== 'manual' && (
            <fieldset>
              <legend>実績が状態で入力されたときの評価</legend>
              {ACTUAL_STATUSES.map((st) => (
                <div className="field" key={st}>
                  <label htmlFor={`scale-status-${st}`}>{ACTUAL_STATUS_LABELS[st]}</label>
                  <CodeSelect
                    id={`scale-status-${st}`}
                    codes={codes}
                    empty="（計算で決める）"
                    value={s.statusGrades[st] ?? null}
                    onChange={(code) => {
                      const next = { ...s.statusGrades };
                      if (code) next[st] = code;
                      else delete next[st];
                      set({ statusGrades: next });
                    }}
                  />
                </div>
              ))}
            </fieldset>
          )}
          {err && (
            <div role="alert" className="error-banner">
              {err.message}
            </div>
          )}
          {saved && <p role="status">評価の方法を保存しました。</p>}
          {canEdit && (
            <button type="submit" className="button primary" disabled={save.isPending}>
              評価の方法を保存
            </button>
          )}
        </fieldset>
      </form>
    </section>
  );
}

/** A choice among the scale's codes, or none (the empty option says what none means). */
function CodeSelect({
  id,
  label,
  codes,
  empty,
  value,
  onChange,
}: {
  id?: string;
  label?: string;
  codes: string[];
  empty: string;
  value: string | null;
  onChange(code: string | null): void;
}) {
  return (
    <select id={id} aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">{empty}</option>
      {codes.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}
