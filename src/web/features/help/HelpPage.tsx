import { Link, useParams, useSearchParams } from 'react-router';
import { usePageTitle } from '../../lib/hooks.js';
import { RECORD_STATUSES, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { HELP_TOPICS, isHelpTopic, STATUS_MEANINGS, YEARLY_CALENDAR, type HelpTopicKey } from './help-topics.js';
import './help.css';

/** A safe way back: only an address of this app. */
const backTo = (from: string | null) => (from && from.startsWith('/') && !from.startsWith('//') ? from : null);

/** ヘルプ: what the screen is for and how it is used, the yearly calendar, what each status means; printable. */
export function HelpPage() {
  const topicParam = useParams().topic ?? 'general';
  const key: HelpTopicKey = isHelpTopic(topicParam) ? topicParam : 'general';
  const topic = HELP_TOPICS[key];
  const [params] = useSearchParams();
  const from = backTo(params.get('from'));
  usePageTitle(`ヘルプ: ${topic.title}`);
  return (
    <article className="help-page" aria-labelledby="help-title">
      <div className="help-tools">
        {from && <Link to={from}>← 元の画面に戻る</Link>}
        <button type="button" className="button secondary small" onClick={() => window.print()}>
          このヘルプを印刷する
        </button>
      </div>
      <h1 id="help-title">
        <span className="help-kicker">ヘルプ</span>
        {topic.title}
      </h1>
      <section aria-labelledby="help-purpose">
        <h2 id="help-purpose">この画面でできること</h2>
        <p>{topic.purpose}</p>
        <ul>
          {topic.points.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="help-calendar">
        <h2 id="help-calendar">1年の流れ</h2>
        <ol className="help-calendar">
          {YEARLY_CALENDAR.map((s) => (
            <li key={s.step}>
              <strong className="help-step">{s.step}</strong>
              <span className="help-when">{s.when}</span>
              <span className="help-what">{s.what}</span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="help-statuses">
        <h2 id="help-statuses">回答の状態</h2>
        <table className="data-table compact help-statuses">
          <caption className="visually-hidden">回答の状態とその意味</caption>
          <thead>
            <tr>
              <th scope="col">状態</th>
              <th scope="col">意味</th>
            </tr>
          </thead>
          <tbody>
            {RECORD_STATUSES.map((s) => (
              <tr key={s}>
                <th scope="row">{RECORD_STATUS_LABELS[s]}</th>
                <td>{STATUS_MEANINGS[s]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="help-keys">
        <h2 id="help-keys">キー操作</h2>
        <ul>
          <li>入力欄の外で ? キーまたは F1 キーを押すと、開いている画面のヘルプが開きます。</li>
          <li>Tab キーで次の項目へ、Shift+Tab キーで前の項目へ移ります。検索欄は Esc キーで消せます。</li>
        </ul>
      </section>
      <HelpIndex current={key} from={from} />
    </article>
  );
}

/** The other screens' help, each leading back to the same screen. */
function HelpIndex({ current, from }: { current: HelpTopicKey; from: string | null }) {
  return (
    <nav aria-label="ほかの画面のヘルプ" className="help-index">
      <h2>ほかの画面のヘルプ</h2>
      <ul>
        {Object.entries(HELP_TOPICS)
          .filter(([k]) => k !== current)
          .map(([k, t]) => (
            <li key={k}>
              <Link to={`/help/${k}${from ? `?from=${encodeURIComponent(from)}` : ''}`}>{t.title}</Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}
