import { parseEml } from './eml';
import { parseIcs } from './ics';
import { transcriptToText } from './transcript';
import { IntakeFormatError } from './types';

const EML = [
    'Message-ID: <abc123@mail.backstory.ai>',
    'Date: Tue, 03 Mar 2026 10:15:00 +0100',
    'From: Rita Rep <Rita@Backstory.ai>',
    'To: Ann Acme <ann@acme.com>, carl@acme.com',
    'Cc: "Otto" <otto@backstory.ai>',
    'Subject: Acme Corp renewal',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hi Ann, attached is the proposal.',
    ''
].join('\r\n');

const ICS = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Backstory//Test//EN',
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Paris',
    'BEGIN:STANDARD',
    'DTSTART:19701025T030000',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:19700329T020000',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    'UID:evt-42@backstory.ai',
    'DTSTAMP:20260301T090000Z',
    'DTSTART;TZID=Europe/Paris:20260305T140000',
    'DTEND;TZID=Europe/Paris:20260305T150000',
    'SUMMARY:Acme Corp demo',
    'DESCRIPTION:Walk through the pilot',
    'ORGANIZER;CN=Rita Rep:mailto:rita@backstory.ai',
    'ATTENDEE;CN=Ann Acme;ROLE=REQ-PARTICIPANT:mailto:ANN@acme.com',
    'ATTENDEE:mailto:carl@acme.com',
    'END:VEVENT',
    'END:VCALENDAR',
    ''
].join('\r\n');

async function formatError(run: () => unknown): Promise<IntakeFormatError> {
    try {
        await run();
    } catch (error) {
        if (error instanceof IntakeFormatError) return error;
        throw error;
    }
    throw new Error('expected an IntakeFormatError');
}

describe('MATCH-1 intake formats', () => {
    it('MATCH-1 reads an .eml: participants with roles, subject, body, date and Message-ID', async () => {
        const a = await parseEml(EML);
        expect(a).toEqual({
            externalId: '<abc123@mail.backstory.ai>',
            type: 'email',
            ownerEmail: null,
            subject: 'Acme Corp renewal',
            body: 'Hi Ann, attached is the proposal.',
            startsAt: '2026-03-03T09:15:00.000Z',
            endsAt: null,
            participants: [
                { email: 'rita@backstory.ai', name: 'Rita Rep', role: 'from' },
                { email: 'ann@acme.com', name: 'Ann Acme', role: 'to' },
                { email: 'carl@acme.com', role: 'to' },
                { email: 'otto@backstory.ai', name: 'Otto', role: 'cc' }
            ],
            transcript: null
        });
    });

    it('MATCH-1 an .eml without Message-ID gets a stable id from its content', async () => {
        const withoutId = EML.replace(/^Message-ID:.*\r\n/, '');
        const a = await parseEml(withoutId);
        const b = await parseEml(withoutId);
        expect(a.externalId).toMatch(/^sha256:/);
        expect(a.externalId).toBe(b.externalId);
    });

    it('MATCH-1 a malformed .eml says what is wrong', async () => {
        expect((await formatError(() => parseEml('hello there, not a mail'))).message).toMatch(/RFC 5322/);
        const noFrom = await formatError(() => parseEml(EML.replace(/^From:.*\r\n/m, '')));
        expect(noFrom.path).toBe('From');
        const noDate = await formatError(() => parseEml(EML.replace(/^Date:.*\r\n/m, '')));
        expect(noDate.path).toBe('Date');
        const badDate = await formatError(() => parseEml(EML.replace(/^Date:.*$/m, 'Date: someday soon')));
        expect(badDate).toEqual(expect.objectContaining({ path: 'Date' }));
        const noTo = await formatError(() => parseEml(EML.replace(/^To:.*\r\n/m, '').replace(/^Cc:.*\r\n/m, '')));
        expect(noTo.path).toBe('To');
    });

    it('MATCH-1 reads an .ics: organizer and attendees, summary, times in their zone, UID', async () => {
        const [m, ...rest] = await parseIcs(ICS);
        expect(rest).toEqual([]);
        expect(m).toEqual({
            externalId: 'evt-42@backstory.ai',
            type: 'meeting',
            ownerEmail: null,
            subject: 'Acme Corp demo',
            body: 'Walk through the pilot',
            startsAt: '2026-03-05T13:00:00.000Z',
            endsAt: '2026-03-05T14:00:00.000Z',
            participants: [
                { email: 'rita@backstory.ai', name: 'Rita Rep', role: 'organizer' },
                { email: 'ann@acme.com', name: 'Ann Acme', role: 'attendee' },
                { email: 'carl@acme.com', role: 'attendee' }
            ],
            transcript: null
        });
    });

    it('MATCH-1 a malformed .ics says what is wrong', async () => {
        expect((await formatError(() => parseIcs('BEGIN:VEVENT\r\nEND:VEVENT'))).message).toMatch(/BEGIN:VCALENDAR/);
        expect((await formatError(() => parseIcs('BEGIN:VCALENDAR\r\nSUMMARY;;;\r\n'))).message).toMatch(
            /not valid iCalendar/
        );
        const noUid = await formatError(() => parseIcs(ICS.replace(/^UID:.*\r\n/m, '')));
        expect(noUid.path).toBe('VEVENT 1.UID');
        const noStart = await formatError(() => parseIcs(ICS.replace(/^DTSTART;.*\r\n/m, '')));
        expect(noStart.path).toBe('VEVENT 1.DTSTART');
        const noEvent = await formatError(() =>
            parseIcs('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n')
        );
        expect(noEvent.path).toBe('VEVENT');
    });

    it('MATCH-1 WebVTT transcripts become text per speaker; plain text stays as it is', () => {
        const vtt = [
            'WEBVTT',
            '',
            'NOTE recorded by the bot',
            '',
            '1',
            '00:00:01.000 --> 00:00:04.000',
            '<v Rita Rep>Thanks for joining.</v>',
            '',
            '00:00:04.500 --> 00:00:06.000',
            '<v Rita Rep>Shall we start?',
            '',
            '00:00:06.000 --> 00:00:09.000 align:start',
            '<v.loud Ann Acme>Yes &amp; <b>quickly</b>.',
            ''
        ].join('\n');
        expect(transcriptToText(vtt)).toBe('Rita Rep: Thanks for joining. Shall we start?\nAnn Acme: Yes & quickly.');
        expect(transcriptToText('  just notes  ')).toBe('just notes');
    });
});
