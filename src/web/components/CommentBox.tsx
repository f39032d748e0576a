import { useId, useState } from 'react';
import { ErrorAlert } from './forms.js';

/** A labelled text box with one button that posts what was written, for comments, remarks and answers. */
export function CommentBox({
  label,
  button,
  send,
  onDone,
  rows = 2,
  primary = false,
}: {
  label: string;
  button: string;
  send(body: string): Promise<unknown>;
  onDone(): void;
  rows?: number;
  primary?: boolean;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  return (
    <div className="comment-form">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={rows} value={body} onChange={(e) => setBody(e.target.value)} />
      <button
        type="button"
        className={`button ${primary ? 'primary' : 'secondary'} small`}
        disabled={!body.trim()}
        onClick={async () => {
          setError(null);
          try {
            await send(body);
            setBody('');
            onDone();
          } catch (e) {
            setError(e);
          }
        }}
      >
        {button}
      </button>
      <ErrorAlert error={error} />
    </div>
  );
}
