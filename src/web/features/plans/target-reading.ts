import { parseTarget } from '../../../domain/evaluation/index.js';

/**
 * How a target as typed will be read by the plan's rules, in words, so that a coordinator sees before
 * saving that 「毎年10人以上」 counts as 10 each year and 「全ての小学校」 cannot be computed — instead
 * of finding the line ungraded in the report. null where nothing is typed.
 */
export function targetReading(text: string): { text: string; problem: boolean } | null {
  const p = parseTarget(text);
  switch (p.kind) {
    case 'none':
      return null;
    case 'notApplicable':
      return { text: '目標なし（評価の対象外）', problem: false };
    case 'number': {
      const notes = [
        p.basis === 'cumulative' ? '累計' : p.basis === 'annual' ? '毎年' : null,
        p.comparator === 'atLeast' ? '以上' : p.comparator === 'atMost' ? '以下' : null,
      ].filter((n) => n !== null);
      return { text: `${p.value}${p.unit}${notes.length ? `（${notes.join('・')}）` : ''}と比べます`, problem: false };
    }
    case 'direction': {
      const way = { higher: '増えれば', lower: '減れば', keep: '保たれれば' }[p.direction];
      return {
        text: `${p.against === 'previous' ? '前年度' : '現状値'}より${way}よいとして比べます`,
        problem: false,
      };
    }
    case 'unreadable':
      return { text: `${p.problem}。この目標では評価されません`, problem: true };
  }
}
