// The 409 answer of a booking or a change, shown the same way everywhere:
// the meetings that hold the rooms, then the next free slots of the same
// length, each a button that books (or moves the meeting to) that slot.
import { t } from './i18n.js';
import { h } from './dom.js';
import { fmtRange } from './format.js';

export function conflictList(conflicts, roomName) {
  return h('ul', { class: 'conflict-list' }, conflicts.map((c) => {
    const m = c.meeting || {};
    return h('li', {}, t('book.conflict_line', {
      room: roomName(c.endpoint), title: m.title || `#${m.id}`, time: m.start ? fmtRange(m.start, m.end) : '',
    }));
  }));
}

/** Fills `out` with the conflicts and suggestions of `answer`; onPick(slot). */
export function showConflictAnswer(out, answer, { roomName, onPick, headingLevel = 'h2' }) {
  const conflicts = (answer && answer.conflicts) || [];
  const suggestions = (answer && answer.suggestions) || [];
  const sub = headingLevel === 'h2' ? 'h3' : 'h4';
  out.replaceChildren(
    h(headingLevel, {}, t('book.conflict_heading')),
    conflicts.length ? conflictList(conflicts, roomName) : null,
    h(sub, {}, t('book.suggestions')),
    suggestions.length
      ? h('ul', { class: 'suggestions' }, suggestions.map((s) => h('li', {},
        h('button', {
          type: 'button', class: 'suggestion', dataset: { start: s.start, end: s.end },
          onclick: () => onPick(s),
        }, t('book.suggestion_pick', { time: fmtRange(s.start, s.end) })))))
      : h('p', {}, t('book.no_suggestions')));
  const first = out.querySelector('button.suggestion');
  if (first) first.focus();
}
