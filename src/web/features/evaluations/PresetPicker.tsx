import { useId, useState } from 'react';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import type { EvaluationSettingsDto } from '../../lib/types.js';

/** Starting from one of the shapes met in practice: it replaces the draft, saved only when saved. */
export function PresetPicker({
  presets,
  onPick,
}: {
  presets: EvaluationSettingsDto['presets'];
  onPick(config: EvaluationConfig): void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const preset = presets.find((p) => p.name === name);
  return (
    <div className="eval-preset">
      <div className="field">
        <label htmlFor={id}>よく使われる設定から始める</label>
        <p className="hint" id={`${id}-hint`}>
          読み込むと、下の評価の項目と尺度がすべて置き換わります（保存するまで反映されません）。
        </p>
        <div className="eval-preset-row">
          <select id={id} aria-describedby={`${id}-hint`} value={name} onChange={(e) => setName(e.target.value)}>
            <option value="">（選んでください）</option>
            {presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button secondary"
            disabled={!preset}
            onClick={() => {
              if (!preset) return;
              onPick(structuredClone(preset.config));
              setPicked(preset.label);
            }}
          >
            読み込む
          </button>
        </div>
      </div>
      <p role="status" className="status-message">
        {picked && `「${picked}」を読み込みました。保存するまで反映されません。`}
      </p>
    </div>
  );
}
