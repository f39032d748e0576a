import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import type {
  PublishPreview,
  PublishPreviewResponse,
  SnapshotEntry,
  SnapshotListResponse,
  SnapshotResponse,
} from '../../lib/types.js';
import { ConfirmDialog, Dialog } from '../../components/Dialog.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { fiscalYearEnd, todayInJapan, type Era2019 } from '../../../domain/fiscal-year.js';
import { formatDate, formatFiscalYear } from '../../lib/dates.js';
import { RECORD_STATUS_LABELS, type RecordStatus } from '../../../domain/cycle-terms.js';
import './publishing.css';

/** The statuses that are not yet final, in the order the publish dialog names them. */
const UNAPPROVED: RecordStatus[] = ['submitted', 'draft', 'not_started', 'returned'];

/** A moment (ISO time) as the calendar date it was in Japan, in 和暦. */
export const localDateLabel = (iso: string): string => formatDate(iso);

const publicReportUrl = (code: string, id: number) => `/public/${code}/reports/${id}`;

export interface PublishTarget {
  planId: number;
  planTitle: string;
  fiscalYear: number;
  layout: string;
  layoutLabel: string;
}

/** The publish button and what it leads to: a dialog that says exactly what will be put on the public page. */
export function PublishPanel({
  mid,
  era,
  code,
  target,
}: {
  mid: number;
  era: Era2019;
  code: string | undefined;
  target: PublishTarget;
}) {
  const [opened, setOpened] = useState(0);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<SnapshotEntry | null>(null);
  return (
    <section className="panel publish-panel" aria-labelledby="publish-heading">
      <h2 id="publish-heading">この報告を公表する</h2>
      <p>
        公表すると、その時点の内容がそのまま保存され、ログインなしで見られる公表ページに載ります。載せるのは
        <strong>確定した回答だけ</strong>
        です（確定していない回答を含めるのは「速報」として公表するときだけです）。後から回答を直しても公表した内容は変わりません。もう一度公表すると新しい版になり、前の版も履歴として残ります。
      </p>
      <div className="publish-actions">
        <button
          type="button"
          className="button primary"
          onClick={() => {
            setDone(null);
            setOpened((n) => n + 1);
            setOpen(true);
          }}
        >
          公表する…
        </button>
        <p role="status" aria-live="polite" className="status-message">
          {done && (
            <>
              「{done.title}」（{formatDate(done.asOf)}時点）を公表しました。
              {code && (
                <>
                  {' '}
                  <a href={publicReportUrl(code, done.id)} target="_blank" rel="noopener">
                    公表ページで見る（新しいタブ）
                  </a>
                </>
              )}
            </>
          )}
        </p>
      </div>
      <PublishDialog
        key={opened}
        mid={mid}
        era={era}
        target={target}
        open={open}
        onClose={() => setOpen(false)}
        onPublished={(s) => {
          setDone(s);
          setOpen(false);
        }}
      />
    </section>
  );
}

/** The year's end once it has passed, else today: a report never says it is as of a day still to come. */
function defaultAsOf(fiscalYear: number): string {
  const end = fiscalYearEnd(fiscalYear);
  const today = todayInJapan();
  return end < today ? end : today;
}

/** What a publication would hold: the year's answers by status, and whether the unapproved ones go in (速報). */
interface PublishScope {
  preview: PublishPreview;
  unapproved: number;
  /** the unapproved answers by status: 「提出済 0件・入力中 1件・…」 */
  breakdown: string;
  includes: boolean;
}

function publishScope(preview: PublishPreview, preliminary: boolean): PublishScope {
  const counts = preview.statusCounts;
  const unapproved = UNAPPROVED.reduce((sum, st) => sum + counts[st], 0);
  const breakdown = UNAPPROVED.map((st) => `${RECORD_STATUS_LABELS[st]} ${counts[st]}件`).join('・');
  return { preview, unapproved, breakdown, includes: preliminary && unapproved > 0 };
}

function PublishFacts({ era, target }: { era: Era2019; target: PublishTarget }) {
  return (
    <dl className="publish-facts">
      <div>
        <dt>計画</dt>
        <dd>{target.planTitle}</dd>
      </div>
      <div>
        <dt>年度</dt>
        <dd>{formatFiscalYear(target.fiscalYear, era)}</dd>
      </div>
      <div>
        <dt>レイアウト</dt>
        <dd>{target.layoutLabel}</dd>
      </div>
    </dl>
  );
}

/** Which answers go public and which are left out, and whether it can be published at all. */
function PublishScopeText({ scope }: { scope: PublishScope }) {
  const { preview: p, unapproved, breakdown, includes } = scope;
  const counts = p.statusCounts;
  return (
    <div className="publish-scope" aria-live="polite">
      {p.total === 0 ? (
        <p>この年度の回答がまだありません。公表できるものがありません。</p>
      ) : includes ? (
        <p>
          確定した回答{counts.approved}件と、確定していない回答{unapproved}件（{breakdown}）を
          <strong>速報</strong>として公表します。
        </p>
      ) : (
        <p>
          確定した回答{counts.approved}件を公表します。
          {unapproved > 0
            ? `確定していない回答${unapproved}件（${breakdown}）は掲載しません。`
            : '確定していない回答はありません。'}
        </p>
      )}
      {!includes && unapproved > 0 && p.total > 0 && (
        <p className="hint">
          掲載しない回答の行は空欄になり、報告には「確定していない回答{unapproved}
          件は掲載していません」と表示されます。
        </p>
      )}
      {!includes && counts.approved === 0 && p.total > 0 && (
        <p className="publish-warning">
          確定した回答がまだないため、このままでは公表できません。回答を確定してから公表するか、速報として公表してください。
        </p>
      )}
    </div>
  );
}

function PreliminaryChoice({
  scope,
  preliminary,
  onChange,
}: {
  scope: PublishScope;
  preliminary: boolean;
  onChange(v: boolean): void;
}) {
  return (
    <>
      {scope.unapproved > 0 && (
        <div className="field checkbox">
          <label>
            <input type="checkbox" checked={preliminary} onChange={(e) => onChange(e.target.checked)} />
            確定していない回答も含めて速報として公表する
          </label>
        </div>
      )}
      <div aria-live="polite">
        {scope.includes && (
          <p className="publish-warning">
            速報として公表すると、公表ページには「速報（未確定を含む）」と表示され、表題の先頭に【速報】が付きます。確定していない回答は、この後の確認で内容が変わることがあります。
          </p>
        )}
      </div>
    </>
  );
}

/** The versions now public that the new one replaces. */
function Supersedes({ replaced }: { replaced: SnapshotEntry[] }) {
  return (
    <div className="publish-supersede">
      {replaced.length > 0 ? (
        replaced.map((s) => (
          <p key={s.id}>
            いま公開中の「{s.title}」（{formatDate(s.asOf)}時点・{localDateLabel(s.publishedAt)}
            公表）は「新しい版あり」になります。前の版も公表ページの履歴に残ります。
          </p>
        ))
      ) : (
        <p>この計画・年度・レイアウトで公開中の版はありません。新しく公表ページに載ります。</p>
      )}
    </div>
  );
}

/** How the year's answers stand now, asked for when the dialog opens. */
function usePublishPreview(mid: number, target: PublishTarget, open: boolean) {
  return useQuery({
    queryKey: ['report-snapshots', mid, 'preview', target.planId, target.fiscalYear],
    queryFn: () =>
      api
        .get<PublishPreviewResponse>(
          `/api/m/${mid}/report-snapshots/preview?planId=${target.planId}&fiscalYear=${target.fiscalYear}`,
        )
        .then((r) => r.preview),
    enabled: open,
  });
}

function PublishDialog({
  mid,
  era,
  target,
  open,
  onClose,
  onPublished,
}: {
  mid: number;
  era: Era2019;
  target: PublishTarget;
  open: boolean;
  onClose(): void;
  onPublished(s: SnapshotEntry): void;
}) {
  const client = useQueryClient();
  const [asOf, setAsOf] = useState(() => defaultAsOf(target.fiscalYear));
  const [preliminary, setPreliminaryState] = useState(false);
  // A refusal about what was chosen before no longer applies once the choice changes.
  const setPreliminary = (v: boolean) => {
    setPreliminaryState(v);
    publish.reset();
  };
  const preview = usePublishPreview(mid, target, open);
  const publish = useMutation({
    mutationFn: () =>
      api
        .post<SnapshotResponse>(`/api/m/${mid}/report-snapshots`, {
          planId: target.planId,
          fiscalYear: target.fiscalYear,
          layout: target.layout,
          asOf,
          includeUnapproved: preliminary,
        })
        .then((r) => r.snapshot),
    onSuccess: (s) => {
      void client.invalidateQueries({ queryKey: ['report-snapshots', mid] });
      onPublished(s);
    },
  });
  const scope = preview.data ? publishScope(preview.data, preliminary) : null;
  const error = publish.error instanceof ApiError ? publish.error : null;
  const asOfError = error?.fieldError('asOf');

  return (
    <ConfirmDialog
      open={open}
      title="報告を公表します"
      confirmLabel={scope?.includes ? '速報として公表する' : '公表する'}
      busy={publish.isPending || !scope}
      onCancel={onClose}
      onConfirm={() => publish.mutate()}
    >
      <PublishFacts era={era} target={target} />
      <Field
        label="時点（この日付の内容として公表）"
        required
        error={asOfError}
        hint={asOf ? `${formatDate(asOf)}時点として表示されます` : undefined}
      >
        {(props) => (
          <input {...props} type="date" className="date-input" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        )}
      </Field>
      {preview.isPending && <p role="status">回答の状況を確かめています…</p>}
      <ErrorAlert error={preview.error} />
      {scope && (
        <>
          <PublishScopeText scope={scope} />
          <PreliminaryChoice scope={scope} preliminary={preliminary} onChange={setPreliminary} />
          <Supersedes replaced={scope.preview.current.filter((s) => s.layout === target.layout)} />
        </>
      )}
      <ErrorAlert error={publish.error && !asOfError ? publish.error : null} />
    </ConfirmDialog>
  );
}

/** One published version: its state, its public page, and (for the coordinator) withdrawing it. */
function SnapshotRow({
  s,
  era,
  code,
  coordinating,
  layoutLabel,
  onWithdraw,
}: {
  s: SnapshotEntry;
  era: Era2019;
  code: string | undefined;
  coordinating: boolean;
  layoutLabel(name: string): string;
  onWithdraw(s: SnapshotEntry): void;
}) {
  return (
    <tr>
      <th scope="row">
        {s.title}
        <span className="snapshot-meta">
          {formatFiscalYear(s.fiscalYear, era)}・{layoutLabel(s.layout)}
        </span>
      </th>
      <td className="date">{formatDate(s.asOf)}</td>
      <td className="date">{localDateLabel(s.publishedAt)}</td>
      <td>
        <SnapshotStatus s={s} />
      </td>
      <td>
        {code && (
          <a href={publicReportUrl(code, s.id)} target="_blank" rel="noopener">
            開く
            <span className="visually-hidden">
              ：{s.title}（{formatDate(s.asOf)}時点）の公表ページ
            </span>
            （新しいタブ）
          </a>
        )}
      </td>
      {coordinating && (
        <td>
          {!s.withdrawnAt && (
            <button type="button" className="button small danger" onClick={() => onWithdraw(s)}>
              取り下げる
              <span className="visually-hidden">
                ：{s.title}（{formatDate(s.asOf)}時点）
              </span>
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function SnapshotTable({
  snapshots,
  ...row
}: {
  snapshots: SnapshotEntry[];
  era: Era2019;
  code: string | undefined;
  coordinating: boolean;
  layoutLabel(name: string): string;
  onWithdraw(s: SnapshotEntry): void;
}) {
  if (snapshots.length === 0) return <p>まだ公表していません。</p>;
  return (
    <table className="data-table publish-table">
      <caption className="visually-hidden">公表の履歴</caption>
      <thead>
        <tr>
          <th scope="col">報告</th>
          <th scope="col">時点</th>
          <th scope="col">公表日</th>
          <th scope="col">状態</th>
          <th scope="col">公表ページ</th>
          {row.coordinating && <th scope="col">取り下げ</th>}
        </tr>
      </thead>
      <tbody>
        {snapshots.map((s) => (
          <SnapshotRow key={s.id} s={s} {...row} />
        ))}
      </tbody>
    </table>
  );
}

/** Every published version with its state, a link to its public page, and withdrawal. */
export function PublishHistory({
  mid,
  era,
  code,
  coordinating,
  layoutLabel,
}: {
  mid: number;
  era: Era2019;
  code: string | undefined;
  coordinating: boolean;
  /** a layout's name as people know it (the list of layouts), not its key */
  layoutLabel(name: string): string;
}) {
  const snapshots = useQuery({
    queryKey: ['report-snapshots', mid],
    queryFn: () => api.get<SnapshotListResponse>(`/api/m/${mid}/report-snapshots`).then((r) => r.snapshots),
  });
  const [withdrawing, setWithdrawing] = useState<SnapshotEntry | null>(null);
  const [opened, setOpened] = useState(0);
  const [message, setMessage] = useState('');
  const startWithdrawing = (s: SnapshotEntry) => {
    setMessage('');
    setOpened((n) => n + 1);
    setWithdrawing(s);
  };
  return (
    <section className="publish-history" aria-labelledby="snapshots-heading">
      <h2 id="snapshots-heading">公表の履歴</h2>
      <ErrorAlert error={snapshots.error} />
      {code && (
        <p>
          公表ページ（ログイン不要）:{' '}
          <a href={`/public/${code}`} target="_blank" rel="noopener">
            {`/public/${code}`}
            <span className="visually-hidden">（新しいタブ）</span>
          </a>
        </p>
      )}
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      {snapshots.data && (
        <SnapshotTable
          snapshots={snapshots.data}
          era={era}
          code={code}
          coordinating={coordinating}
          layoutLabel={layoutLabel}
          onWithdraw={startWithdrawing}
        />
      )}
      {coordinating && (
        <WithdrawDialog
          key={opened}
          mid={mid}
          snapshot={withdrawing}
          onClose={() => setWithdrawing(null)}
          onWithdrawn={(s) => {
            setWithdrawing(null);
            setMessage(`「${s.title}」（${formatDate(s.asOf)}時点）を取り下げました。`);
          }}
        />
      )}
    </section>
  );
}

function SnapshotStatus({ s }: { s: SnapshotEntry }) {
  const counts = s.statusCounts;
  const approved = counts.approved ?? 0;
  const others = Object.entries(counts).reduce((sum, [st, n]) => (st === 'approved' ? sum : sum + (n ?? 0)), 0);
  return (
    <>
      {s.withdrawnAt ? (
        <span className="snapshot-withdrawn">
          <span className="snapshot-status withdrawn">取り下げ</span>（{localDateLabel(s.withdrawnAt)}・
          {s.withdrawReason}）
        </span>
      ) : s.supersededBy ? (
        <span className="snapshot-status superseded">新しい版あり</span>
      ) : (
        <span className="snapshot-status current">公開中</span>
      )}
      {s.includesUnapproved && <span className="snapshot-status preliminary">速報</span>}
      <span className="snapshot-meta">
        {s.includesUnapproved
          ? `確定${approved}件と未確定${others}件を掲載`
          : others > 0
            ? `確定${approved}件を掲載（未確定${others}件は掲載せず）`
            : `確定${approved}件を掲載`}
      </span>
    </>
  );
}

function WithdrawDialog({
  mid,
  snapshot,
  onClose,
  onWithdrawn,
}: {
  mid: number;
  snapshot: SnapshotEntry | null;
  onClose(): void;
  onWithdrawn(s: SnapshotEntry): void;
}) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const withdraw = useMutation({
    mutationFn: (id: number) =>
      api.post<SnapshotResponse>(`/api/m/${mid}/report-snapshots/${id}/withdraw`, { reason }).then((r) => r.snapshot),
    onSuccess: (s) => {
      void client.invalidateQueries({ queryKey: ['report-snapshots', mid] });
      onWithdrawn(s);
    },
  });
  const error = withdraw.error instanceof ApiError ? withdraw.error : null;
  const reasonError = error?.fieldError('reason');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (snapshot) withdraw.mutate(snapshot.id);
  };
  const today = localDateLabel(new Date().toISOString());
  return (
    <Dialog open={snapshot !== null} title="公表した報告を取り下げます" onClose={onClose}>
      {snapshot && (
        <form onSubmit={submit} noValidate>
          <p className="withdraw-target">
            「{snapshot.title}」（{formatDate(snapshot.asOf)}時点・{localDateLabel(snapshot.publishedAt)}公表）
          </p>
          <p>
            取り下げると、公表ページのこの版には報告の内容の代わりに「この報告は{today}
            に取り下げられました（取り下げの理由）」と表示され、公表ページの一覧にも取り下げたことが示されます。版の記録そのものは消えません。取り下げは元に戻せません。
          </p>
          <Field
            label="取り下げの理由"
            required
            error={reasonError}
            hint="公表ページにそのまま表示されます（400文字まで）"
          >
            {(props) => (
              <textarea
                {...props}
                rows={3}
                maxLength={400}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            )}
          </Field>
          <ErrorAlert error={withdraw.error && !reasonError ? withdraw.error : null} />
          <div className="button-row">
            <button type="submit" className="button danger" disabled={withdraw.isPending}>
              取り下げる
            </button>
            <button type="button" className="button secondary" onClick={onClose}>
              やめる
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
