import { Link } from 'react-router';
import { usePageTitle } from '../lib/hooks.js';

export function NotFoundPage() {
  usePageTitle('ページが見つかりません');
  return (
    <section>
      <h1>ページが見つかりません</h1>
      <p>
        お探しのページは移動または削除された可能性があります。<Link to="/">トップへ戻る</Link>
      </p>
    </section>
  );
}
