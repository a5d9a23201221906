import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { MailParser, type AddressObject, type HeaderLines } from 'mailparser';
import { ACTIVITY_LIMITS, IMPORT_LIMITS, isStorableDate, timeSlicer } from '../limits';
import { normaliseEmail } from '../matching/domains';
import type { Participant } from '../matching/types';
import { IntakeFormatError, uniqueParticipants, type ParsedActivity } from './types';
import { TextBody } from '../text-body';

const HEADER_LINE = /^[!-9;-~]+:/;

/**
 * An RFC 5322 message (.eml) as an email activity (MATCH-1): From, To and Cc become the
 * participants, Subject and the text body (or the HTML body as text) are kept, Date is the
 * activity's time, Message-ID its external id (a hash of the message when it has none, so that
 * re-importing the same file stays idempotent).
 */
export async function parseEml(raw: string | TextBody): Promise<ParsedActivity> {
    const text = typeof raw === 'string' ? TextBody.of(raw) : raw;
    const firstLine = text.lines(1000).next().value ?? '';
    if (!HEADER_LINE.test(firstLine))
        throw new IntakeFormatError('body', 'is not an RFC 5322 message: it does not start with a header line');
    if (!(await hasBlankLine(text)) && !text.endsWith('\n'))
        throw new IntakeFormatError('body', 'is not an RFC 5322 message: no blank line ends the header section');
    await checkMimeStructure(text);
    const mail = await readMail(chunked(text));
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
            mail.messageId?.trim() || `sha256:${digest(text)}`,
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

/** What parseEml reads of a message. */
interface ReadMail {
    headerLines: HeaderLines;
    from?: AddressObject;
    to?: AddressObject | AddressObject[];
    cc?: AddressObject | AddressObject[];
    subject?: string;
    date?: Date;
    messageId?: string;
    text?: string;
    html?: string | false;
}

/**
 * mailparser's MailParser over the message, keeping the headers and the text parts. SEC-6:
 * attachments are read through and dropped as they stream (mailparser's simpleParser would
 * hold each whole and join it into one Buffer: a 24 MB attachment was an 85 ms copy).
 */
function readMail(input: Readable): Promise<ReadMail> {
    const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true });
    return new Promise<ReadMail>((resolve, reject) => {
        const mail: ReadMail = { headerLines: [] };
        let headers = new Map<string, unknown>();
        parser.on('error', reject);
        parser.on('headers', (read) => {
            headers = read;
            mail.headerLines = parser.headerLines || [];
        });
        parser.on('data', (data) => {
            if (data.type === 'text') {
                mail.text = data.text;
                mail.html = data.html;
                return;
            }
            data.content.on('end', () => data.release?.());
            data.content.resume();
        });
        parser.on('end', () => {
            const pick = <T>(key: string) => headers.get(key) as T | undefined;
            resolve({
                ...mail,
                from: pick<AddressObject>('from'),
                to: pick<AddressObject | AddressObject[]>('to'),
                cc: pick<AddressObject | AddressObject[]>('cc'),
                subject: pick<string>('subject'),
                date: pick<Date>('date'),
                messageId: pick<string>('message-id')
            });
        });
        input.once('error', (error) => {
            parser.destroy();
            reject(error);
        });
        input.pipe(parser);
    });
}

/** The message in 64 KB pieces with a turn of the event loop between them (SEC-6: no stall). */
function chunked(text: TextBody): Readable {
    const size = 64 * 1024;
    return Readable.from(
        (async function* () {
            for (const piece of text.pieces)
                for (let i = 0; i < piece.length; i += size) {
                    yield Buffer.from(piece.slice(i, i + size), 'utf8');
                    await new Promise<void>((resolve) => setImmediate(resolve));
                }
        })()
    );
}

/** A message without a Message-ID is known by the hash of its text (40 hex digits of SHA-256). */
function digest(text: TextBody): string {
    const hash = createHash('sha256');
    for (const piece of text.pieces) hash.update(piece, 'utf8');
    return hash.digest('hex').slice(0, 40);
}

/** Whether an empty line (LF, CRLF) appears anywhere, a piece at a time and across pieces. */
async function hasBlankLine(text: TextBody): Promise<boolean> {
    const slice = timeSlicer();
    let tail = '';
    for (const piece of text.pieces) {
        if (/\n\r?\n/.test(tail + piece.slice(0, 2)) || /\n\r?\n/.test(piece)) return true;
        tail = piece.slice(-2);
        const pause = slice.maybeYield();
        if (pause) await pause;
    }
    return false;
}

/**
 * SEC-6: refuse a message nested deeper than IMPORT_LIMITS.mimeDepth multiparts or with more
 * than IMPORT_LIMITS.mimeParts parts before the MIME parser builds its tree. A line scan:
 * every Content-Type header is a part; a multipart one opens its boundary, `--boundary--`
 * closes it (and every boundary opened inside it).
 */
async function checkMimeStructure(text: TextBody): Promise<void> {
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
    for (const whole of text.lines(1000)) {
        const line = whole.slice(0, 1000);
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
