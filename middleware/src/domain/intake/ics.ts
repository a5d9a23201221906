import ICAL from 'ical.js';
import { normaliseEmail } from '../matching/domains';
import type { Participant } from '../matching/types';
import { IntakeFormatError, uniqueParticipants, type ParsedActivity } from './types';

/**
 * An iCalendar file (.ics, RFC 5545) as meeting activities (MATCH-1): one per VEVENT, with
 * ORGANIZER and ATTENDEE addresses as participants, SUMMARY as the subject, DESCRIPTION as the
 * body, DTSTART/DTEND (or DURATION) as the times and UID (+ RECURRENCE-ID for an occurrence)
 * as the external id. Cancelled events are skipped.
 */
export function parseIcs(raw: string): ParsedActivity[] {
    const text = raw.replace(/^\uFEFF/, '');
    if (!/^BEGIN:VCALENDAR\r?$/m.test(text.split(/\n/, 1)[0] ?? ''))
        throw new IntakeFormatError('body', 'is not an iCalendar file: it must start with BEGIN:VCALENDAR');
    let calendar: ICAL.Component;
    try {
        calendar = new ICAL.Component(ICAL.parse(text) as unknown as unknown[]);
    } catch (error) {
        throw new IntakeFormatError('body', `is not valid iCalendar: ${(error as Error).message}`);
    }
    // Times with a TZID resolve through the file's own VTIMEZONE definitions.
    for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
        const zone = new ICAL.Timezone(vtimezone);
        if (zone.tzid && !ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
    }
    const vevents = calendar.getAllSubcomponents('vevent');
    if (vevents.length === 0) throw new IntakeFormatError('VEVENT', 'the calendar has no VEVENT');
    const out: ParsedActivity[] = [];
    vevents.forEach((vevent, i) => {
        const where = `VEVENT ${i + 1}`;
        const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
        if (status === 'CANCELLED') return;
        const uid = String(vevent.getFirstPropertyValue('uid') ?? '').trim();
        if (!uid) throw new IntakeFormatError(`${where}.UID`, 'is missing (RFC 5545 requires it)');
        let event: ICAL.Event;
        let start: ICAL.Time | null;
        try {
            event = new ICAL.Event(vevent);
            start = event.startDate;
        } catch (error) {
            throw new IntakeFormatError(`${where}.DTSTART`, `cannot be read: ${(error as Error).message}`);
        }
        if (!start) throw new IntakeFormatError(`${where}.DTSTART`, 'is missing');
        const startsAt = toIso(start);
        if (!startsAt) throw new IntakeFormatError(`${where}.DTSTART`, 'is not a valid date-time');
        const end = vevent.hasProperty('dtend') || vevent.hasProperty('duration') ? event.endDate : null;
        const endsAt = end ? toIso(end) : null;
        if (endsAt && endsAt < startsAt) throw new IntakeFormatError(`${where}.DTEND`, 'is before DTSTART');

        const participants: Participant[] = [];
        const organizer = vevent.getFirstProperty('organizer');
        const organizerEmail = organizer ? calAddress(organizer.getFirstValue()) : null;
        if (organizer && organizerEmail)
            participants.push(withName({ email: organizerEmail, role: 'organizer' }, organizer.getParameter('cn')));
        for (const attendee of vevent.getAllProperties('attendee')) {
            const email = calAddress(attendee.getFirstValue());
            if (email) participants.push(withName({ email, role: 'attendee' }, attendee.getParameter('cn')));
        }
        if (participants.length === 0)
            throw new IntakeFormatError(
                `${where}.ATTENDEE`,
                'the event has no organizer or attendee with an email address'
            );
        const recurrence = vevent.getFirstPropertyValue('recurrence-id');
        const recurrenceIso = recurrence instanceof ICAL.Time ? toIso(recurrence) : null;
        const description = vevent.getFirstPropertyValue('description');
        out.push({
            externalId: recurrenceIso ? `${uid}#${recurrenceIso}` : uid,
            type: 'meeting',
            ownerEmail: null,
            subject: String(vevent.getFirstPropertyValue('summary') ?? '').trim(),
            body: typeof description === 'string' && description.trim() ? description.trim() : null,
            startsAt,
            endsAt,
            participants: uniqueParticipants(participants),
            transcript: null
        });
    });
    return out;
}

function calAddress(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    return normaliseEmail(value.replace(/^mailto:/i, ''));
}

function withName(p: Participant, cn: unknown): Participant {
    return typeof cn === 'string' && cn.trim() ? { ...p, name: cn.trim() } : p;
}

/** Floating and date-only times are read as UTC (a calendar export without a zone says nothing better). */
function toIso(t: ICAL.Time): string | null {
    const d = t.toJSDate();
    if (Number.isNaN(d.getTime())) return null;
    if (t.zone === ICAL.Timezone.localTimezone || t.isDate) {
        return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)).toISOString();
    }
    return d.toISOString();
}
