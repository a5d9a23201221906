import ICAL from 'ical.js';
import { normaliseEmail } from '../matching/domains';
import type { Participant } from '../matching/types';
import { ACTIVITY_LIMITS, IMPORT_LIMITS, isStorableDate, timeSlicer } from '../limits';
import { IntakeFormatError, uniqueParticipants, type ParsedActivity } from './types';
import { withZones, type OrgZones } from './zones';
import { TextBody } from '../text-body';

export interface IcsOptions {
    /** The importing org's remembered zones (SEC-7); the file's own VTIMEZONEs come first. */
    zones?: OrgZones;
}

interface Scanned {
    events: { text: string; index: number }[];
    timezones: string[];
}

/**
 * An iCalendar file (.ics, RFC 5545) as meeting activities (MATCH-1): one per VEVENT, with
 * ORGANIZER and ATTENDEE addresses as participants, SUMMARY as the subject, DESCRIPTION as the
 * body, DTSTART/DTEND (or DURATION) as the times and UID (+ RECURRENCE-ID for an occurrence)
 * as the external id. Cancelled events are skipped.
 *
 * SEC-6: the file is first scanned line by line (one VCALENDAR, nesting, events, line and event
 * sizes within IMPORT_LIMITS), then each event is parsed on its own, the event loop given back
 * between slices, and every field checked against the JSON API's caps.
 */
export async function parseIcs(raw: string | TextBody, options: IcsOptions = {}): Promise<ParsedActivity[]> {
    const text = typeof raw === 'string' ? TextBody.of(raw) : raw;
    if (!/^BEGIN:VCALENDAR$/i.test(text.lines(100).next().value ?? ''))
        throw new IntakeFormatError('body', 'is not an iCalendar file: it must start with BEGIN:VCALENDAR');
    const scanned = await scan(text);
    const slice = timeSlicer();

    const fileZones = new Map<string, ICAL.Timezone>();
    for (const [i, tzText] of scanned.timezones.entries()) {
        let zone: ICAL.Timezone;
        try {
            zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(tzText) as unknown as unknown[]));
        } catch (error) {
            throw new IntakeFormatError(`VTIMEZONE ${i + 1}`, `cannot be read: ${(error as Error).message}`);
        }
        if (!zone.tzid) throw new IntakeFormatError(`VTIMEZONE ${i + 1}.TZID`, 'is missing');
        fileZones.set(zone.tzid, zone);
    }

    const out: ParsedActivity[] = [];
    for (const { text: eventText, index } of scanned.events) {
        const where = `VEVENT ${index}`;
        let vevent: ICAL.Component;
        try {
            vevent = new ICAL.Component(ICAL.parse(eventText) as unknown as unknown[]);
        } catch (error) {
            throw new IntakeFormatError(where, `is not valid iCalendar: ${(error as Error).message}`);
        }
        const zones = new Map<string, ICAL.Timezone>();
        for (const tzid of referencedZones(eventText)) {
            const zone = fileZones.get(tzid) ?? options.zones?.get(tzid);
            if (zone) zones.set(tzid, zone);
        }
        // Times with a TZID resolve through the file's VTIMEZONEs (else the org's), never another org's.
        const activity = withZones(zones.values(), () => readEvent(vevent, where));
        if (activity) out.push(activity);
        await slice.maybeYield();
    }
    if (scanned.events.length === 0) throw new IntakeFormatError('VEVENT', 'the calendar has no VEVENT');
    for (const zone of fileZones.values()) options.zones?.remember(zone);
    return out;
}

const NAME = /^[A-Za-z0-9-]+/;

/**
 * One pass over the content lines (unfolded), yielding between slices: structure and size
 * checks, and the text of every VEVENT and VTIMEZONE directly under the VCALENDAR.
 */
async function scan(text: TextBody): Promise<Scanned> {
    const slice = timeSlicer();
    const stack: string[] = [];
    const events: Scanned['events'] = [];
    const timezones: string[] = [];
    let calendars = 0;
    let collecting: { kind: 'VEVENT' | 'VTIMEZONE'; lines: string[]; chars: number } | null = null;
    let eventCount = 0;
    let lineNo = 0;

    const where = () => (stack.includes('VEVENT') ? `VEVENT ${eventCount}` : `line ${lineNo}`);
    const tooLong = (line: string) => {
        const prop = (NAME.exec(line)?.[0] ?? '').toUpperCase().slice(0, 40);
        return new IntakeFormatError(
            `${where()}${prop ? `.${prop}` : ''}`,
            `is longer than ${IMPORT_LIMITS.icsLineChars} characters`
        );
    };
    const handle = (line: string) => {
        if (line.length > IMPORT_LIMITS.icsLineChars) throw tooLong(line);
        if (line.trim() === '') return;
        const m = /^(BEGIN|END):(.*)$/i.exec(line.trimEnd());
        if (m) {
            const kind = (m[2] ?? '').trim().toUpperCase();
            if (m[1]?.toUpperCase() === 'BEGIN') {
                if (stack.length === 0) {
                    if (kind !== 'VCALENDAR')
                        throw new IntakeFormatError(`line ${lineNo}`, `BEGIN:${kind} is outside the VCALENDAR`);
                    calendars++;
                    if (calendars > 1)
                        throw new IntakeFormatError(
                            'body',
                            `holds more than one VCALENDAR (a second begins on line ${lineNo}): send one calendar per file`
                        );
                }
                stack.push(kind);
                if (stack.length > IMPORT_LIMITS.icsDepth)
                    throw new IntakeFormatError(
                        `line ${lineNo}`,
                        `components are nested deeper than ${IMPORT_LIMITS.icsDepth} levels`
                    );
                if (stack.length === 2 && (kind === 'VEVENT' || kind === 'VTIMEZONE')) {
                    if (kind === 'VEVENT') {
                        eventCount++;
                        if (eventCount > IMPORT_LIMITS.icsEvents)
                            throw new IntakeFormatError(
                                'VEVENT',
                                `the file holds more than ${IMPORT_LIMITS.icsEvents} events: split it`
                            );
                    } else if (timezones.length >= IMPORT_LIMITS.icsTimezones)
                        throw new IntakeFormatError(
                            'VTIMEZONE',
                            `the file holds more than ${IMPORT_LIMITS.icsTimezones} VTIMEZONEs`
                        );
                    collecting = { kind, lines: [], chars: 0 };
                }
            } else {
                const open = stack.pop();
                if (open !== kind)
                    throw new IntakeFormatError(
                        `line ${lineNo}`,
                        open ? `END:${kind} closes BEGIN:${open}` : `END:${kind} has no BEGIN`
                    );
                if (collecting && stack.length === 1 && kind === collecting.kind) {
                    collecting.lines.push(line);
                    const body = collecting.lines.join('\r\n');
                    if (kind === 'VEVENT') events.push({ text: body, index: eventCount });
                    else timezones.push(body);
                    collecting = null;
                    return;
                }
            }
        } else if (stack.length === 0) {
            throw new IntakeFormatError(`line ${lineNo}`, 'is outside the VCALENDAR');
        }
        if (collecting) {
            collecting.lines.push(line);
            collecting.chars += line.length + 2;
            if (collecting.chars > IMPORT_LIMITS.icsEventChars)
                throw new IntakeFormatError(
                    collecting.kind === 'VEVENT' ? `VEVENT ${eventCount}` : `VTIMEZONE ${timezones.length + 1}`,
                    `is larger than ${IMPORT_LIMITS.icsEventChars} characters`
                );
        }
    };

    let logical: string[] = [];
    let logicalChars = 0;
    // A line past the cap comes cut just past it (TextBody.lines): refused without being built whole.
    for (const line of text.lines(IMPORT_LIMITS.icsLineChars)) {
        lineNo++;
        if ((line.startsWith(' ') || line.startsWith('\t')) && logical.length > 0) {
            // A folded continuation (RFC 5545 3.1); refuse before joining a runaway line.
            logicalChars += line.length - 1;
            if (logicalChars > IMPORT_LIMITS.icsLineChars) throw tooLong(logical[0] ?? '');
            logical.push(line.slice(1));
        } else {
            if (logical.length > 0) handle(logical.join(''));
            logical = [line];
            logicalChars = line.length;
        }
        const pause = slice.maybeYield();
        if (pause) await pause;
    }
    if (logical.length > 0) handle(logical.join(''));
    if (stack.length > 0)
        throw new IntakeFormatError('body', `is not valid iCalendar: it ends inside BEGIN:${stack[stack.length - 1]}`);
    return { events, timezones };
}

function referencedZones(eventText: string): Set<string> {
    const out = new Set<string>();
    for (const m of eventText.matchAll(/;TZID=("[^"\r\n]*"|[^;:\r\n]*)/gi)) out.add((m[1] ?? '').replace(/^"|"$/g, ''));
    return out;
}

function capped(where: string, value: string, max: number): string {
    if (value.length > max) throw new IntakeFormatError(where, `is longer than ${max} characters`);
    return value;
}

/** One VEVENT as an activity; null for a cancelled one. Runs inside withZones. */
function readEvent(vevent: ICAL.Component, where: string): ParsedActivity | null {
    const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
    if (status === 'CANCELLED') return null;
    const uid = String(vevent.getFirstPropertyValue('uid') ?? '').trim();
    if (!uid) throw new IntakeFormatError(`${where}.UID`, 'is missing (RFC 5545 requires it)');
    capped(`${where}.UID`, uid, ACTIVITY_LIMITS.externalId);
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
    if (!startsAt) throw new IntakeFormatError(`${where}.DTSTART`, 'is not a date-time between 1900 and 2199');
    let endsAt: string | null = null;
    if (vevent.hasProperty('dtend') || vevent.hasProperty('duration')) {
        let end: ICAL.Time;
        try {
            end = event.endDate;
        } catch (error) {
            throw new IntakeFormatError(`${where}.DTEND`, `cannot be read: ${(error as Error).message}`);
        }
        endsAt = toIso(end);
        if (!endsAt)
            throw new IntakeFormatError(
                `${where}.${vevent.hasProperty('dtend') ? 'DTEND' : 'DURATION'}`,
                'is not a date-time between 1900 and 2199'
            );
    }
    if (endsAt && endsAt < startsAt) throw new IntakeFormatError(`${where}.DTEND`, 'is before DTSTART');

    const participants: Participant[] = [];
    const organizer = vevent.getFirstProperty('organizer');
    const organizerEmail = organizer ? calAddress(organizer.getFirstValue()) : null;
    if (organizer && organizerEmail)
        participants.push(withName({ email: organizerEmail, role: 'organizer' }, organizer.getParameter('cn'), where));
    for (const attendee of vevent.getAllProperties('attendee')) {
        const email = calAddress(attendee.getFirstValue());
        if (email) participants.push(withName({ email, role: 'attendee' }, attendee.getParameter('cn'), where));
    }
    if (participants.length === 0)
        throw new IntakeFormatError(
            `${where}.ATTENDEE`,
            'the event has no organizer or attendee with an email address'
        );
    const unique = uniqueParticipants(participants);
    if (unique.length > ACTIVITY_LIMITS.participants)
        throw new IntakeFormatError(
            `${where}.ATTENDEE`,
            `the event has more than ${ACTIVITY_LIMITS.participants} participants`
        );
    const recurrence = vevent.getFirstPropertyValue('recurrence-id');
    const recurrenceIso = recurrence instanceof ICAL.Time ? toIso(recurrence) : null;
    const externalId = recurrenceIso ? `${uid}#${recurrenceIso}` : uid;
    capped(`${where}.UID`, externalId, ACTIVITY_LIMITS.externalId);
    const description = vevent.getFirstPropertyValue('description');
    const body = typeof description === 'string' && description.trim() ? description.trim() : null;
    return {
        externalId,
        type: 'meeting',
        ownerEmail: null,
        subject: capped(
            `${where}.SUMMARY`,
            String(vevent.getFirstPropertyValue('summary') ?? '').trim(),
            ACTIVITY_LIMITS.subject
        ),
        body: body === null ? null : capped(`${where}.DESCRIPTION`, body, ACTIVITY_LIMITS.body),
        startsAt,
        endsAt,
        participants: unique,
        transcript: null
    };
}

function calAddress(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    const email = normaliseEmail(value.replace(/^mailto:/i, ''));
    return email && email.length <= ACTIVITY_LIMITS.email ? email : null;
}

function withName(p: Participant, cn: unknown, where: string): Participant {
    if (typeof cn !== 'string' || !cn.trim()) return p;
    const role = p.role === 'organizer' ? 'ORGANIZER' : 'ATTENDEE';
    return { ...p, name: capped(`${where}.${role}.CN`, cn.trim(), ACTIVITY_LIMITS.participantName) };
}

/** Floating and date-only times are read as UTC (a calendar export without a zone says nothing better). */
function toIso(t: ICAL.Time): string | null {
    let ms: number;
    if (t.zone === ICAL.Timezone.localTimezone || t.isDate) {
        ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    } else {
        ms = t.toJSDate().getTime();
    }
    return isStorableDate(ms) ? new Date(ms).toISOString() : null;
}
