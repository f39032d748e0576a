import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { ConfirmDialog } from './Dialog.js';

/**
 * While a page holds input that is not saved (typed, refused by the server, or in conflict), leaving
 * it asks first: closing or reloading the tab through the browser's own question, moving within
 * the app through a dialog that says what would be lost.
 */
export function UnsavedGuard({ when, what = '保存されていない入力' }: { when: boolean; what?: string }) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => when && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!when) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [when]);
  return (
    <ConfirmDialog
      open={blocker.state === 'blocked'}
      title="保存されていない入力があります"
      confirmLabel="入力を捨てて移動する"
      cancelLabel="このページに残る"
      danger
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      <p>
        {what}があります。このまま移動すると失われます。保存が終わるまで待つか、保存できなかった項目を直してください。
      </p>
    </ConfirmDialog>
  );
}
