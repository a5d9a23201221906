import { emailDomain, normaliseEmail } from './domains';
import type { MatchableActivity } from './types';

/**
 * Activities that are about no customer: newsletters and other bulk mail, auto-replies, and
 * recruiting. They are recognised before any record is picked, and they match nothing: their
 * candidates are still listed, each saying why it was not picked (MATCH-5).
 */
export interface ActivityExclusion {
    kind: 'bulk' | 'auto_reply' | 'recruiting';
    /** Why, in words: `bulk mail: List-Unsubscribe header`. */
    reason: string;
}

/** Local parts of addresses that only ever send bulk or machine mail. */
export const BULK_SENDERS: ReadonlySet<string> = new Set([
    'bounce',
    'bounces',
    'donotreply',
    'do-not-reply',
    'do_not_reply',
    'digest',
    'events',
    'mailer',
    'mailer-daemon',
    'marketing',
    'news',
    'newsletter',
    'newsletters',
    'noreply',
    'no-reply',
    'no_reply',
    'notification',
    'notifications',
    'postmaster',
    'updates',
    'webinar',
    'webinars'
]);

/**
 * First labels of the sub-domains companies send marketing mail from (`news.acme.com`,
 * `email.acme.com`): the sending domains of mailing services, not where people have their
 * mailboxes. Mail from one of them, with no participant a known contact, is bulk mail.
 */
export const BULK_SUBDOMAINS: ReadonlySet<string> = new Set([
    'e',
    'em',
    'email',
    'emails',
    'mail',
    'mailing',
    'marketing',
    'news',
    'newsletter',
    'newsletters'
]);

/** Subjects of auto-replies, in the languages mail servers send them in. */
const AUTO_REPLY_SUBJECT =
    /^\s*(automatic reply|auto(?:matic)?[- ]?(?:reply|response)|out of (?:the )?office|ooo\b|undeliverable|undelivered mail|delivery status notification|mail delivery failed|abwesenheitsnotiz|réponse automatique|respuesta automática|risposta automatica)/i;

/** Subjects of recruiting: interviews, candidates, offers. */
const RECRUITING_SUBJECT =
    /\b(interview(?:s|ing)?|phone screen|onsite loop|candidate|job application|application for|offer letter|recruit(?:er|ing|ment)|hiring manager|referral for)\b/i;

/** Local parts of recruiters' and recruiting teams' addresses (`recruiter3@`, `talent@`, `careers@`). */
const RECRUITER_LOCAL = /^(?:recruit(?:er|ers|ing|ment)?|talent|careers?|jobs|hiring)(?:\d*|[._+-].*)$/;

/**
 * Subjects of a first meeting with someone new: an introduction, a coffee chat, networking.
 * A known contact is rarely met that way, a candidate or a stranger often: a name on a free-mail
 * address whose only tie to a contact is that the activity owner owns it does not count on
 * such a subject (pipeline.ts), as a namesake is the likelier reading.
 */
export const INTRODUCTION_SUBJECT =
    /\b(intro(?:duction)?s?|introducing|coffee(?:\s+chat)?|networking|informational(?:\s+(?:call|chat|interview))?)\b/i;

/**
 * Is this activity bulk mail, an auto-reply or recruiting? `hasContactEmail` says whether a
 * participant is a known contact by exact email: a recruiting-like subject, or a recruiter's
 * address, with a known contact (a customer's own hiring panel, say) is left to the normal rules.
 */
export function classifyActivity(
    activity: MatchableActivity,
    ownerEmail: string | null,
    hasContactEmail: boolean
): ActivityExclusion | null {
    const h = activity.headers;
    if (activity.type === 'email') {
        const autoSubmitted = h?.['auto-submitted']?.trim().toLowerCase();
        if (autoSubmitted && autoSubmitted !== 'no')
            return { kind: 'auto_reply', reason: `auto-reply: Auto-Submitted: ${autoSubmitted}` };
        if (AUTO_REPLY_SUBJECT.test(activity.subject))
            return { kind: 'auto_reply', reason: `auto-reply: the subject "${activity.subject}"` };
        if (h?.['list-unsubscribe']) return { kind: 'bulk', reason: 'bulk mail: List-Unsubscribe header' };
        if (h?.['list-id']) return { kind: 'bulk', reason: 'bulk mail: List-Id header' };
        const precedence = h?.precedence?.trim().toLowerCase();
        if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk')
            return { kind: 'bulk', reason: `bulk mail: Precedence: ${precedence}` };
        for (const p of activity.participants) {
            if (p.role !== 'from') continue;
            const from = normaliseEmail(p.email);
            if (!from || from === ownerEmail) continue;
            const local = from.slice(0, from.lastIndexOf('@'));
            if (BULK_SENDERS.has(local) || /^(no-?reply|bounces?)[+.-]/.test(local))
                return { kind: 'bulk', reason: `bulk mail: sent from ${local}@${emailDomain(from) ?? ''}` };
            const domain = emailDomain(from);
            const labels = domain ? domain.split('.') : [];
            if (!hasContactEmail && labels.length >= 3 && BULK_SUBDOMAINS.has(labels[0]!))
                return { kind: 'bulk', reason: `bulk mail: sent from ${domain}, a mail-sending sub-domain` };
        }
    }
    if (!hasContactEmail && RECRUITING_SUBJECT.test(activity.subject))
        return { kind: 'recruiting', reason: `recruiting: the subject "${activity.subject}" and no known contact` };
    if (!hasContactEmail)
        for (const p of activity.participants) {
            const email = normaliseEmail(p.email);
            if (!email || email === ownerEmail) continue;
            const local = email.slice(0, email.lastIndexOf('@'));
            if (RECRUITER_LOCAL.test(local))
                return { kind: 'recruiting', reason: `recruiting: ${email} takes part and no known contact` };
        }
    return null;
}
