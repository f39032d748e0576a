import { useState } from 'react';
import { usePageTitle } from '../../lib/hooks.js';
import { PasswordChangeForm } from './PasswordChangeForm.js';

/** 「パスワードの変更」 from the header, for every role. */
export function PasswordPage() {
  usePageTitle('パスワードの変更');
  const [message, setMessage] = useState('');
  return (
    <section className="account-page">
      <h1>パスワードの変更</h1>
      <p>
        今のパスワードと新しいパスワードを入力してください。変更すると、ほかの端末やブラウザでのログインは終了します（この画面はログインしたままです）。
      </p>
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <PasswordChangeForm
        onChanged={() => setMessage('パスワードを変更しました。次回から新しいパスワードでログインしてください。')}
      />
    </section>
  );
}
