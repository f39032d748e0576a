import { useId } from 'react';
import { highlightParts } from '../lib/search.js';
import './search-box.css';

/**
 * A search field that filters as it is typed: its label, what it searches by (the hint), and how many
 * things are shown, said politely to screen readers. Esc clears it.
 */
export function SearchBox({
  label,
  hint,
  value,
  onChange,
  shown,
  total,
  unit = '件',
}: {
  label: string;
  /** what it searches by, e.g. 「番号・名称・課名」 */
  hint?: string;
  value: string;
  onChange(value: string): void;
  /** how many things the search shows now, of `total` */
  shown: number;
  total: number;
  unit?: string;
}) {
  const id = useId();
  return (
    <div className="search-box" role="search" aria-label={label}>
      <label htmlFor={`${id}-q`}>{label}</label>
      <input
        id={`${id}-q`}
        type="search"
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            onChange('');
          }
        }}
      />
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <output className="search-count" aria-live="polite">
        {value.trim() ? `${total}${unit}中 ${shown}${unit}を表示` : `${total}${unit}`}
      </output>
    </div>
  );
}

/** A text with the words of the search marked. */
export function Highlight({ text, query }: { text: string; query: string }) {
  const parts = highlightParts(text, query);
  if (parts.length === 1) return <>{text}</>;
  return <>{parts.map((p, i) => (i % 2 === 1 ? <mark key={i}>{p}</mark> : p))}</>;
}
