// The pure parts of the holidays page and the calendar's grouping (#17):
// consecutive days of one holiday shown as one row (a month's end, a year's
// end and a change of source or kind break it), and the unit a room is
// listed under (its parent room's unit, else its own, else none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holidayRuns } from '../../web/js/pages/holidays.js';
import { unitGroupOf } from '../../web/js/pages/calendar.js';

const day = (date, extra = {}) => ({ date, name: 'Tết', id: 1, provisional: false, source: 'admin', ...extra });

test('holidayRuns joins consecutive days of the same holiday only', () => {
  const runs = holidayRuns([
    day('2027-01-30'), day('2027-01-31'), day('2027-02-01'), // across a month
    day('2027-02-02', { source: 'computed', id: null, provisional: true }), // another source
    day('2027-02-04'), // a gap
    day('2027-12-31', { id: 2 }), day('2028-01-01', { id: 2 }), // across a year
  ]);
  assert.deepEqual(runs.map((r) => [r.start, r.end]), [
    ['2027-01-30', '2027-02-01'], ['2027-02-02', '2027-02-02'], ['2027-02-04', '2027-02-04'],
    ['2027-12-31', '2028-01-01'],
  ]);
  assert.deepEqual(holidayRuns([]), []);
});

test('unitGroupOf: the parent room\'s unit, else the room\'s own, else none', () => {
  const rooms = new Map([
    ['tinh-uy', { code: 'tinh-uy', unit: 'tinh-uy' }],
    ['huyen-uy', { code: 'huyen-uy', unit: 'huyen-uy', parent: 'tinh-uy' }],
    ['xa', { code: 'xa', parent: 'huyen-uy' }],
    ['orphan', { code: 'orphan', parent: 'gone', unit: 'own' }],
  ]);
  assert.equal(unitGroupOf(rooms.get('huyen-uy'), rooms), 'tinh-uy');
  assert.equal(unitGroupOf(rooms.get('xa'), rooms), 'huyen-uy');
  assert.equal(unitGroupOf(rooms.get('tinh-uy'), rooms), 'tinh-uy');
  assert.equal(unitGroupOf(rooms.get('orphan'), rooms), 'own');
  assert.equal(unitGroupOf({ code: 'none' }, rooms), '');
});
