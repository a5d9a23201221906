import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { simpleParser, type AddressObject } from 'mailparser';
import { ACTIVITY_LIMITS, IMPORT_LIMITS, isStorableDate, timeSlicer } from '../limits';
import { normaliseEmail } from '../matching/domains';
import type { Participant } from '../matching/types';
import { IntakeFormatError, uniqueParticipants, type ParsedActivity } from './types';

const HEADER_LINE = /^[!-9;-~]+:/;

/**
 * An RFC 5322 message (.eml) as an email activity (MATCH-1): From, To and Cc become the
 * participants, Subject and the text body (or the HTML body as text) are kept, Date is the
 * activity's time, Message-ID its external id (a hash of the message when it has none, so that
 * re-importing the same file stays idempotent).
 */
export async function parseEml(raw: string): Promise<ParsedActivity> {
    const text = raw.replace(/^\uFEFF/, '');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    if (!HEADER_LINE.test(firstLine))
        throw new IntakeFormatError('body', 'is not an RFC 5322 message: it does not start with a header line');
    if (!/\r?\n\r?\n/.test(text) && !/\r?\n$/.test(text))
        throw new IntakeFormatError('body', 'is not an RFC 5322 message: no blank line ends the header section');
    await checkMimeStructure(text);
    const mail = await simpleParser(chunked(text), { skipImageLinks: true, skipTextToHtml: true });
    const from = addresses(mail.from);
    if (from.length === 0) throw new IntakeFormatError('From', 'header is missing or has no valid address');
    const to = addresses(mail.to);
    const cc = addresses(mail.cc);
    if (to.length + cc.length === 0)
        throw new IntakeFormatError('To', 'header is missing or has no valid address (nor has Cc)');
    // mailparser falls back to "now" for a date it cannot read: check the header as written.
    const dateLine = mail.headerLines.find((h) => h.key === 'date')?.line;
    if (!dateLine) throw new IntakeFormatError('Date', 'header is missing');
    const written = dateLine.replace(/^date:\s*/i, '').trim();
    if (Number.isNaN(Date.parse(written)) || !mail.date || Number.isNaN(mail.date.getTime()))
        throw new IntakeFormatError('Date', `header "${written.slice(0, 100)}" is not an RFC 5322 date`);
    if (!isStorableDate(mail.date.getTime()))
        throw new IntakeFormatError('Date', `header "${written.slice(0, 100)}" is not a date between 1900 and 2199`);
    const participants: Participant[] = uniqueParticipants([
        ...from.map((a) => ({ ...a, role: 'from' as const })),
        ...to.map((a) => ({ ...a, role: 'to' as const })),
        ...cc.map((a) => ({ ...a, role: 'cc' as const }))
    ]);
    if (participants.length > ACTIVITY_LIMITS.participants)
        throw new IntakeFormatError('To', `the message has more than ${ACTIVITY_LIMITS.participants} addresses`);
    for (const p of participants)
        if (p.name && p.name.length > ACTIVITY_LIMITS.participantName)
            throw new IntakeFormatError(
                roleHeader[p.role ?? 'to'],
                `the name of ${p.email} is longer than ${ACTIVITY_LIMITS.participantName} characters`
            );
    const headers = kindHeaders(mail.headerLines);
    const body = mail.text?.trim() || (typeof mail.html === 'string' ? htmlToText(mail.html) : '') || null;
    return {
        externalId: capped(
            'Message-ID',
            mail.messageId?.trim() || `sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 40)}`,
            ACTIVITY_LIMITS.externalId
        ),
        type: 'email',
        ownerEmail: null,
        subject: capped('Subject', (mail.subject ?? '').trim(), ACTIVITY_LIMITS.subject),
        body: body === null ? null : capped('message body', body, ACTIVITY_LIMITS.body),
        startsAt: mail.date.toISOString(),
        endsAt: null,
        participants,
        transcript: null,
        ...(headers ? { headers } : {})
    };
}

/** The headers the activity-kind classifier reads (MATCH-4: bulk mail and auto-replies match nothing). */
export const KIND_HEADERS = ['list-unsubscribe', 'list-id', 'precedence', 'auto-submitted'] as const;

/** Those headers as written (unfolded, the first of each), or undefined when the message has none. */
function kindHeaders(lines: readonly { key: string; line: string }[]): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const { key, line } of lines) {
        const name = key.toLowerCase();
        if (!(KIND_HEADERS as readonly string[]).includes(name) || name in out) continue;
        const value = line
            .slice(line.indexOf(':') + 1)
            .replace(/\r?\n[ \t]+/g, ' ')
            .trim()
            .slice(0, 1000);
        if (value) out[name] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

function addresses(value: AddressObject | AddressObject[] | undefined): { email: string; name?: string }[] {
    const out: { email: string; name?: string }[] = [];
    const visit = (list: AddressObject['value']) => {
        for (const a of list) {
            if (a.group) visit(a.group);
            const email = normaliseEmail(a.address);
            if (email) out.push(a.name ? { email, name: a.name } : { email });
        }
    };
    for (const v of Array.isArray(value) ? value : value ? [value] : []) visit(v.value);
    return out;
}

function htmlToText(html: string): string {
    return html
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
        .replace(/<br\s*\/?>|<\/p>/gi, '\n')
        .replace(/<[^>]+>/g, '')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}

const roleHeader: Record<NonNullable<Participant['role']>, string> = {
    from: 'From',
    to: 'To',
    cc: 'Cc',
    organizer: 'From',
    attendee: 'To'
};

function capped(where: string, value: string, max: number): string {
    if (value.length > max) throw new IntakeFormatError(where, `is longer than ${max} characters`);
    return value;
}

/** The message in 64 KB pieces with a turn of the event loop between them (SEC-6: no stall). */
function chunked(text: string): Readable {
    const size = 64 * 1024;
    return Readable.from(
        (async function* () {
            for (let i = 0; i < text.length; i += size) {
                yield Buffer.from(text.slice(i, i + size), 'utf8');
                await new Promise<void>((resolve) => setImmediate(resolve));
            }
        })()
    );
}

/**
 * SEC-6: refuse a message nested deeper than IMPORT_LIMITS.mimeDepth multiparts or with more
 * than IMPORT_LIMITS.mimeParts parts before the MIME parser builds its tree. A line scan:
 * every Content-Type header is a part; a multipart one opens its boundary, `--boundary--`
 * closes it (and every boundary opened inside it).
 */
async function checkMimeStructure(text: string): Promise<void> {
    const slice = timeSlicer();
    const open: string[] = [];
    let parts = 0;
    let header = '';
    const consider = (line: string) => {
        if (!/^content-type\s*:/i.test(line)) return;
        parts++;
        if (parts > IMPORT_LIMITS.mimeParts)
            throw new IntakeFormatError(
                'Content-Type',
                `the message has more than ${IMPORT_LIMITS.mimeParts} MIME parts`
            );
        if (!/^content-type\s*:\s*multipart\//i.test(line)) return;
        const m = /boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(line);
        const boundary = m?.[1] ?? m?.[2];
        if (!boundary) return;
        open.push(boundary);
        if (open.length > IMPORT_LIMITS.mimeDepth)
            throw new IntakeFormatError(
                'Content-Type',
                `multipart parts are nested deeper than ${IMPORT_LIMITS.mimeDepth} levels`
            );
    };
    let pos = 0;
    while (pos < text.length) {
        let end = text.indexOf('\n', pos);
        if (end < 0) end = text.length;
        const line = text.slice(pos, Math.min(end, pos + 1000)).replace(/\r$/, '');
        pos = end + 1;
        if (/^[ \t]/.test(line) && header) {
            if (header.length < 2000) header += line;
            continue;
        }
        if (header) consider(header);
        header = /^[!-9;-~]+:/.test(line) ? line : '';
        if (line.startsWith('--') && line.trimEnd().endsWith('--')) {
            const closed = open.lastIndexOf(line.trimEnd().slice(2, -2));
            if (closed >= 0) open.length = closed;
        }
        const pause = slice.maybeYield();
        if (pause) await pause;
    }
    if (header) consider(header);
}
