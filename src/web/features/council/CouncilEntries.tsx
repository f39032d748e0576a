import { mayEnterSlot, type PolicyUser } from '../../../domain/policy.js';
import { slotScale, type EvaluationConfig, type Slot } from '../../../domain/evaluation/index.js';
import type { CouncilProject, SlotValueDto } from '../../lib/types.js';
import { SlotEntryForm, type EntryTarget } from '../rounds/SlotEntryForm.js';

type CouncilRecord = CouncilProject['records'][number];

/**
 * The slots on answers (and on their indicator lines) that a council or committee evaluates and the
 * signed-in user may enter: the department's and the coordinating section's are entered elsewhere.
 */
export function councilSlots(config: EvaluationConfig | undefined, user: PolicyUser, mid: number): Slot[] {
  return (config?.slots ?? []).filter(
    (s) =>
      (s.subject === 'record' || s.subject === 'indicator') &&
      (s.enteredBy === 'council' || s.enteredBy === 'committee') &&
      mayEnterSlot(user, s.enteredBy, mid),
  );
}

interface Entry {
  key: string;
  slot: Slot;
  value: SlotValueDto;
  /** what the form names: 「人権推進課の回答」, 「人権推進課の『講座開催回数』」 */
  subject: string;
  target: EntryTarget;
}

/** One form per slot the user enters, for the answer itself and for each of its indicator lines. */
export function CouncilEntries({
  mid,
  planId,
  fiscalYear,
  project,
  record,
  config,
  slots,
  onChanged,
}: {
  mid: number;
  planId: number;
  fiscalYear: number;
  project: CouncilProject;
  record: CouncilRecord;
  config: EvaluationConfig;
  slots: Slot[];
  onChanged(): void;
}) {
  const base = { mid, planId, fiscalYear, departmentId: record.departmentId };
  const entries: Entry[] = [];
  for (const slot of slots) {
    const own = slot.subject === 'record' ? record.evaluations.record[slot.key] : undefined;
    if (own)
      entries.push({
        key: `${slot.key}-record`,
        slot,
        value: own,
        subject: `${record.departmentName}の回答`,
        target: { ...base, subjectKind: 'record', subjectId: project.project.id },
      });
    if (slot.subject !== 'indicator') continue;
    for (const line of record.evaluations.lines) {
      const value = line.values[slot.key];
      const name = project.indicators.find((i) => i.id === line.indicatorId)?.name ?? '活動指標';
      if (value)
        entries.push({
          key: `${slot.key}-${line.indicatorId}`,
          slot,
          value,
          subject: `${record.departmentName}の「${name}」`,
          target: { ...base, subjectKind: 'indicator', subjectId: line.indicatorId },
        });
    }
  }
  return entries.map((e) => (
    <div key={e.key} className="council-entry">
      {e.target.subjectKind === 'indicator' && <p className="council-entry-subject">{e.subject}</p>}
      <SlotEntryForm
        target={e.target}
        slot={e.slot}
        scale={slotScale(config, e.slot)}
        value={e.value}
        subject={e.subject}
        onChanged={onChanged}
      />
    </div>
  ));
}
