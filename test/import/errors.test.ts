import { describe, expect, test } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { detectLayout, importDiary } from '../../src/import/import-diary.js';

const opts = { patientId: 'p', timeZone: 'Europe/Paris' };

function problemsOf(text: string, extra: Partial<Parameters<typeof importDiary>[2]> = {}) {
  try {
    importDiary(text, 'diary', { ...opts, ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return (e as ImportError).problems;
  }
  throw new Error('expected an ImportError');
}

describe('bad Relief JSON names the line and field', () => {
  test('a value of the wrong kind', () => {
    const text = [
      '{',
      '  "format": "relief-diary",',
      '  "version": 1,',
      '  "patient": { "id": "p", "timeZone": "Europe/Paris" },',
      '  "attacks": [',
      '    { "id": "a1", "start": "2024-03-01T08:00:00+01:00", "peakIntensity": 11 },',
      '    { "id": "a2", "start": "2024-03-02 08:00" }',
      '  ]',
      '}',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      { line: 6, field: 'attacks.0.peakIntensity', message: 'Too big: expected number to be <=10' },
      {
        line: 7,
        field: 'attacks.1.start',
        message: 'must be a date-time with a UTC offset, e.g. 2024-03-10T23:30:00+01:00',
      },
    ]);
  });

  test('a missing field is reported on its object; an unknown time zone is named', () => {
    const text =
      '{\n "format": "relief-diary",\n "version": 1,\n "patient": {\n  "id": "p",\n  "timeZone": "Mars/Olympus"\n }\n}';
    expect(problemsOf(text)).toEqual([
      { line: 6, field: 'patient.timeZone', message: 'must be an IANA time zone such as Europe/Paris' },
    ]);
    const missing = '{\n "format": "relief-diary",\n "version": 1,\n "patient": {\n  "id": "p"\n }\n}';
    expect(problemsOf(missing)).toEqual([
      { line: 4, field: 'patient.timeZone', message: 'Invalid input: expected string, received undefined' },
    ]);
  });

  test('an attack that ends before it starts, and duplicate daily records', () => {
    const text = JSON.stringify(
      {
        format: 'relief-diary',
        version: 1,
        patient: { id: 'p', timeZone: 'UTC' },
        attacks: [{ id: 'a', start: '2024-03-01T08:00:00Z', end: '2024-03-01T07:00:00Z' }],
        dailyRecords: [{ date: '2024-03-01' }, { date: '2024-03-01', noHeadache: true }],
      },
      null,
      1,
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['attacks.0.end', 'must not be before start'],
      ['dailyRecords.1.date', 'a second daily record for 2024-03-01'],
    ]);
    expect(problems.every((p) => typeof p.line === 'number')).toBe(true);
  });

  test('JSON syntax errors', () => {
    expect(problemsOf('{\n "format": "relief-diary",\n "version": 1,,\n}')[0]).toMatchObject({
      line: 3,
      field: 'JSON',
    });
  });
});

describe('bad daily CSV names the line and column', () => {
  const header = 'Date,Headache severity,Notes,Stress\n';
  test('a bad date, an unknown severity and a non-numeric factor, all reported', () => {
    const text = `${header}2024-03-01,0,,1\n2024-02-30,1,,2\n2024-03-03,5,,1\n2024-03-04,1,,lots\n`;
    expect(problemsOf(text)).toEqual([
      { line: 3, field: 'Date', message: '"2024-02-30" is not a date as YYYY-MM-DD' },
      { line: 4, field: 'Headache severity', message: '"5" is not one of 0, 1, 2' },
      { line: 5, field: 'Stress', message: '"lots" is not a number or yes/no' },
    ]);
  });

  test('a repeated date and a missing column', () => {
    expect(problemsOf(`${header}2024-03-01,0,,1\n2024-03-01,1,,1\n`)).toEqual([
      { line: 3, field: 'Date', message: '2024-03-01 is already on line 2' },
    ]);
    const p = problemsOf('day,pain\n2024-03-01,3\n', { mapping: { dateColumn: 'day', headacheColumn: 'headache' } });
    expect(p).toEqual([{ line: 1, field: 'headache', message: 'no such column (columns: day, pain)' }]);
  });

  test('an unknown layout asks for a column mapping', () => {
    expect(detectLayout('when,ache\n2024-03-01,yes\n')).toBeNull();
    expect(problemsOf('when,ache\n2024-03-01,yes\n')[0]!.message).toMatch(/--date-column and --headache-column/);
  });

  test('a generic daily CSV with a mapping: yes/no headache and numeric factors', () => {
    const { diary } = importDiary('when,ache,sleep\n2024-03-02,yes,5.5\n2024-03-01,no,8\n', 'x', {
      ...opts,
      mapping: { dateColumn: 'when', headacheColumn: 'ache' },
    });
    expect(diary.dailyRecords).toEqual([
      { date: '2024-03-01', noHeadache: true, factors: { sleep: 8 } },
      {
        date: '2024-03-02',
        headache: { peakIntensity: undefined, intensityLevel: undefined },
        factors: { sleep: 5.5 },
      },
    ]);
  });
});

describe('the chronic daily layout', () => {
  test('a bad hours value names the line', () => {
    const text = 'day\thours\tpain\tdrug\tmg\n2024-01-01\t5\t6\t\t\n2024-01-02\tmany\t6\t\t\n';
    expect(problemsOf(text)).toEqual([{ line: 3, field: 'hours', message: '"many" is not 0–24 hours' }]);
  });

  test('event doses count on days daily.tsv lacks; only pain or symptom events confirm a headache-free day', () => {
    const daily = 'day\thours\tpain\tdrug\tmg\n2024-01-01\t5\t6\teletriptan\t40\n';
    const events = [
      '2024-01-02 10:00:00\t10mg rizatriptan and ibuprofen ',
      '2024-01-03 09:00:00\t25mg topiramate preventative',
      '2024-01-04 14:00:00\tAura',
    ].join('\n');
    const { diary } = importDiary(daily, 'daily.tsv', { ...opts, events: { text: events, source: 'events.tsv' } });
    expect(diary.dailyRecords).toEqual([
      {
        date: '2024-01-01',
        headache: { peakIntensity: 6, hours: 5 },
        medications: [{ name: 'eletriptan', class: 'triptan', doseMg: 40 }],
      },
      {
        date: '2024-01-02',
        medications: [
          { name: 'rizatriptan', class: 'triptan', doseMg: 10 },
          { name: 'ibuprofen', class: 'non-opioid-analgesic' },
        ],
      },
      { date: '2024-01-03' },
      { date: '2024-01-04', noHeadache: true, aura: true },
    ]);
  });
});
