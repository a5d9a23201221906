import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
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
    const mail = await simpleParser(text, { skipImageLinks: true, skipTextToHtml: true });
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
        throw new IntakeFormatError('Date', `header "${written}" is not an RFC 5322 date`);
    const participants: Participant[] = uniqueParticipants([
        ...from.map((a) => ({ ...a, role: 'from' as const })),
        ...to.map((a) => ({ ...a, role: 'to' as const })),
        ...cc.map((a) => ({ ...a, role: 'cc' as const }))
    ]);
    const body = mail.text?.trim() || (typeof mail.html === 'string' ? htmlToText(mail.html) : '') || null;
    return {
        externalId:
            mail.messageId?.trim() || `sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 40)}`,
        type: 'email',
        ownerEmail: null,
        subject: (mail.subject ?? '').trim(),
        body,
        startsAt: mail.date.toISOString(),
        endsAt: null,
        participants,
        transcript: null
    };
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
