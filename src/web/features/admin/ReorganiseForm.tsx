import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra } from '../../lib/hooks.js';
import type { Department } from '../../lib/types.js';
import { CheckboxPicker, ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { isActiveIn, REORG_KINDS, REORG_KIND_LABELS, type ReorgKind } from '../../../domain/department.js';
import { formatEraYear, formatFiscalYear } from '../../lib/dates.js';
import { fiscalYearInJapan } from '../../../domain/effective.js';

interface ReorgBody {
  kind: ReorgKind;
  effectiveYear: number | null;
  fromIds: number[];
  toNames: string[];
  note: string;
}

/** What the server says registering would do (POST …/reorganisations/preview). */
interface Preview {
  effectiveYear: number;
  appliesNow: boolean;
  users: number;
  projects: number;
}

/**
 * The 課 that can be reorganised from `effectiveYear`: they exist in that year and the year before
 * (a unit cannot end before it began), and no other change that is not cancelled already ends them.
 * Without a year yet, the 課 that exist this fiscal year or later.
 */
export function reorganisableUnits(
  departments: Department[],
  effectiveYear: number | null,
  today: Date = new Date(),
): Department[] {
  return departments.filter(
    (d) =>
      d.kind === 'ka' &&
      d.successors.length === 0 &&
      (effectiveYear === null
        ? d.activeTo === null || d.activeTo >= fiscalYearInJapan(today)
        : isActiveIn(d, effectiveYear) && (d.activeFrom === null || d.activeFrom < effectiveYear)),
  );
}

/**
 * The 課 chosen to reorganise, among those that can be from the year typed. A chosen 課 that is no longer a
 * choice (another year typed, changed elsewhere) is cleared, never kept out of sight, and `dropped` says so.
 */
function useFromUnits(departments: Department[], effectiveYear: number | null) {
  const era = useEra();
  const [fromIds, setFromIds] = useState<number[]>([]);
  const [dropped, setDropped] = useState('');
  const choices = reorganisableUnits(departments, effectiveYear);
  const stale = fromIds.filter((id) => !choices.some((d) => d.id === id));
  if (stale.length > 0) {
    setFromIds(fromIds.filter((id) => !stale.includes(id)));
    const names = stale.map((id) => `「${departments.find((d) => d.id === id)?.name ?? ''}」`).join('');
    setDropped(
      effectiveYear === null
        ? `${names}は選べなくなったため選択を外しました`
        : `${names}は${formatEraYear(effectiveYear, era)}からの組織変更には選べないため選択を外しました`,
    );
  }
  const choose = (ids: number[]) => {
    setFromIds(ids);
    setDropped('');
  };
  return { choices, fromIds, choose, dropped };
}

/** Asking the server what registering would do, then registering after the user's confirmation. */
function useRegistration(mid: number, onDone: (message: string) => void) {
  const [asking, setAsking] = useState<{ body: ReorgBody; preview: Preview } | null>(null);
  const preview = useMutation({
    mutationFn: (b: ReorgBody) => api.post<Preview>(`/api/m/${mid}/departments/reorganisations/preview`, b),
    onSuccess: (p, b) => setAsking({ body: b, preview: p }),
  });
  const register = useMutation({
    mutationFn: (b: ReorgBody) => api.post(`/api/m/${mid}/departments/reorganisations`, b),
    onSuccess: (_r, b) => {
      setAsking(null);
      onDone(`組織変更（${b.toNames.join('・')}）を登録しました`);
    },
  });
  const ask = (body: ReorgBody) => {
    register.reset();
    preview.mutate(body);
  };
  const cancel = () => {
    setAsking(null);
    register.reset();
  };
  return { asking, preview, register, ask, cancel };
}

/**
 * 組織変更を登録: the form asks the server what registering would do and shows it in a
 * confirmation before anything is written. After a registration the parent remounts the form
 * (a new key), so nothing of the last change stays selected.
 */
export function ReorganiseForm({
  mid,
  departments,
  startFocused,
  onDone,
}: {
  mid: number;
  departments: Department[];
  /** after a registration: the fresh form takes the focus the closed confirmation gave back */
  startFocused?: boolean;
  onDone(message: string): void;
}) {
  const [kind, setKind] = useState<ReorgKind>('rename');
  const [effectiveYear, setEffectiveYear] = useState<number | null>(null);
  const [toNames, setToNames] = useState('');
  const [note, setNote] = useState('');
  const units = useFromUnits(departments, effectiveYear);
  const registration = useRegistration(mid, onDone);
  const { preview, register, ask } = registration;
  const error = preview.error ?? register.error;
  const err = error instanceof ApiError ? error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const names = toNames
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    ask({ kind, effectiveYear, fromIds: units.fromIds, toNames: names, note });
  };
  const nameOf = (id: number) => departments.find((d) => d.id === id)?.name ?? '';

  return (
    <>
      <form onSubmit={submit} className="panel" noValidate aria-labelledby="reorg-title">
        <h2 id="reorg-title">組織変更を登録</h2>
        <p className="hint">登録した年度が来るまでは、今の課のまま回答・報告を続けられます。</p>
        <ErrorAlert error={preview.error} />
        <Field label="種類" error={err?.fieldError('kind')}>
          {(p) => (
            // the options are the kinds of reorganisation
            <select {...p} autoFocus={startFocused} value={kind} onChange={(e) => setKind(e.target.value as ReorgKind)}>
              {REORG_KINDS.map((k) => (
                <option key={k} value={k}>
                  {REORG_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FiscalYearInput
          label="変更後の課が始まる年度"
          required
          value={effectiveYear}
          onChange={setEffectiveYear}
          error={err?.fieldError('effectiveYear')}
        />
        <FromUnitsPicker units={units} effectiveYear={effectiveYear} error={err?.fieldError('fromIds')} />
        <Field label="組織変更後の課名（分割のときは1行に1つ）" required error={err?.fieldError('toNames')}>
          {(p) => (
            <textarea
              {...p}
              rows={kind === 'split' ? 3 : 1}
              value={toNames}
              onChange={(e) => setToNames(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="メモ（任意）"
          hint="条例改正の番号など。組織変更の一覧に表示されます"
          error={err?.fieldError('note')}
        >
          {(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <button type="submit" className="button primary" disabled={preview.isPending}>
          組織変更を登録する
        </button>
      </form>
      <RegisterDialog registration={registration} nameOf={nameOf} />
    </>
  );
}

/** The confirmation with what registering would do; the registration happens on its button. */
function RegisterDialog({
  registration: { asking, register, cancel },
  nameOf,
}: {
  registration: ReturnType<typeof useRegistration>;
  nameOf(id: number): string;
}) {
  return (
    <ConfirmDialog
      open={asking !== null}
      title="組織変更を登録しますか"
      confirmLabel="登録する"
      busy={register.isPending}
      onCancel={cancel}
      onConfirm={() => asking && register.mutate(asking.body)}
    >
      {asking && (
        <PreviewText body={asking.body} preview={asking.preview} fromNames={asking.body.fromIds.map(nameOf)} />
      )}
      <ErrorAlert error={register.error} />
    </ConfirmDialog>
  );
}

function FromUnitsPicker({
  units,
  effectiveYear,
  error,
}: {
  units: ReturnType<typeof useFromUnits>;
  effectiveYear: number | null;
  error: string | undefined;
}) {
  const era = useEra();
  return (
    <>
      <CheckboxPicker
        legend="組織変更前の課"
        filterLabel="課名で絞り込み"
        options={units.choices.map((d) => ({ value: d.id, label: d.name }))}
        selected={units.fromIds}
        onChange={units.choose}
        hint={
          effectiveYear === null
            ? '年度を入力すると、その年度に存続していて他の組織変更が登録されていない課だけが表示されます。'
            : `${formatEraYear(effectiveYear, era)}に存続していて、他の組織変更が登録されていない課です。`
        }
        error={error}
      />
      <p className="hint" aria-live="polite">
        {units.dropped}
      </p>
    </>
  );
}

function PreviewText({ body, preview, fromNames }: { body: ReorgBody; preview: Preview; fromNames: string[] }) {
  const era = useEra();
  const year = formatEraYear(preview.effectiveYear, era);
  const to = body.toNames.map((n) => `「${n}」`).join('');
  const moves =
    preview.users === 0 && preview.projects === 0
      ? '移る利用者・事業はありません。'
      : `利用者${preview.users}人と事業${preview.projects}件が${to}に移ります。`;
  return (
    <div className="reorg-preview">
      <dl>
        <div>
          <dt>種類</dt>
          <dd>{REORG_KIND_LABELS[body.kind]}</dd>
        </div>
        <div>
          <dt>変更前</dt>
          <dd>{fromNames.map((n) => `「${n}」`).join('')}</dd>
        </div>
        <div>
          <dt>変更後</dt>
          <dd>{to}</dd>
        </div>
        <div>
          <dt>適用</dt>
          <dd>
            {preview.appliesNow ? 'すぐに適用されます' : `${formatFiscalYear(preview.effectiveYear, era)}から（予定）`}
          </dd>
        </div>
      </dl>
      {preview.appliesNow ? (
        <>
          <p>
            <strong>すぐに適用されます。</strong>
            {year}はすでに始まっているか、その年度の照会が始まっているため、登録と同時に新しい課に切り替わります。
          </p>
          {body.kind === 'split' ? (
            <p>
              分割では利用者と事業は自動では移りません。登録後に、各事業の担当課と利用者の所属を新しい課に設定し直してください。
            </p>
          ) : (
            <p>登録と同時に、{moves}</p>
          )}
          <p>適用された組織変更は、あとから変更・取消しできません。</p>
        </>
      ) : (
        <>
          <p>
            <strong>{year}から適用する予定です。</strong>
            {year}の照会を始めたとき、または{year}が始まったとき（4月1日）の、どちらか早いときに適用されます。
          </p>
          <p>それまでは、今の課のまま回答中のシート・利用者・報告は変わりません。</p>
          {body.kind === 'split' ? (
            <p>
              分割では利用者と事業は自動では移りません。適用後に、各事業の担当課と利用者の所属を新しい課に設定し直してください。
            </p>
          ) : (
            <p>適用のときに、{moves}</p>
          )}
          <p>適用されるまでは「組織変更」の一覧から年度・課名を変更したり、取り消したりできます。</p>
        </>
      )}
    </div>
  );
}
