import { useEffect } from 'react';
import './toast.css';

export interface ToastMessage {
  /** changes with every message, so that the same words said twice show twice */
  id: number;
  text: string;
  tone: 'done' | 'info';
  /** 「元に戻す」: undoes what the message reports */
  undo?: () => void;
}

/** How long a message without an undo stays on screen. */
const SHOWN_MS = 8000;

/**
 * What a change did, shown where it is seen whatever the scroll: a box at the bottom of the window,
 * with 「元に戻す」 when the change can be undone. It repeats for the eye what the page's live region
 * says to screen readers (the live region stays the one that speaks; this box is not live).
 */
export function Toast({ message, onClose }: { message: ToastMessage | null; onClose(): void }) {
  useEffect(() => {
    if (!message || message.undo) return;
    const t = window.setTimeout(onClose, SHOWN_MS);
    return () => window.clearTimeout(t);
  }, [message, onClose]);
  if (!message) return null;
  return (
    <div className={`toast ${message.tone}`} role="group" aria-label="お知らせ">
      <span className="toast-mark" aria-hidden="true">
        {message.tone === 'done' ? '✓' : 'i'}
      </span>
      <p className="toast-text">{message.text}</p>
      {message.undo && (
        <button type="button" className="button secondary small" onClick={message.undo}>
          元に戻す
        </button>
      )}
      <button type="button" className="toast-close" aria-label="お知らせを閉じる" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
