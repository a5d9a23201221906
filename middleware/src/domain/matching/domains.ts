/**
 * Email and website domains for matching (MATCH-3): an account's Website and a participant's
 * email domain are compared after normalising both the same way.
 */

/**
 * Free-mail providers: a participant writing from one of these says nothing about their company,
 * so these domains never match an account (MATCH-3). Lower case, exact domains.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
    '163.com',
    'aol.com',
    'fastmail.com',
    'gmail.com',
    'gmx.com',
    'gmx.de',
    'gmx.net',
    'googlemail.com',
    'hey.com',
    'hotmail.co.uk',
    'hotmail.com',
    'hotmail.fr',
    'icloud.com',
    'live.com',
    'mac.com',
    'mail.com',
    'mail.ru',
    'me.com',
    'msn.com',
    'outlook.com',
    'pm.me',
    'proton.me',
    'protonmail.com',
    'qq.com',
    'web.de',
    'yahoo.co.uk',
    'yahoo.com',
    'yahoo.fr',
    'yandex.com',
    'yandex.ru',
    'zoho.com'
]);

/** Two-label public suffixes: the parent-domain walk stops before reaching one of them. */
const SECOND_LEVEL_SUFFIXES = new Set([
    'co.uk',
    'org.uk',
    'ac.uk',
    'gov.uk',
    'com.au',
    'net.au',
    'org.au',
    'co.nz',
    'co.jp',
    'co.in',
    'co.za',
    'com.br',
    'com.mx',
    'com.sg',
    'com.cn',
    'co.kr',
    'com.tr'
]);

/**
 * A website or domain as a bare host: scheme, credentials, `www.`, port, path, query and case
 * removed (`HTTPS://www.Acme.com/about?x` → `acme.com`). Null when nothing host-like remains.
 */
export function normaliseDomain(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    let host = value.trim().toLowerCase();
    if (host === '') return null;
    host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // scheme
    host = host.replace(/^[^/@]*@/, ''); // credentials (or a mailto-style user part)
    const cut = host.search(/[/?#:\\\s]/);
    if (cut >= 0) host = host.slice(0, cut);
    host = host.replace(/\.+$/, '');
    while (host.startsWith('www.')) host = host.slice(4);
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return null;
    return host;
}

/** The lower-cased address, or null when it is not an email address. */
export function normaliseEmail(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    const email = value.trim().toLowerCase();
    const at = email.lastIndexOf('@');
    if (at <= 0 || at === email.length - 1 || /\s/.test(email)) return null;
    return email;
}

const BARE_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The domain part of an email address (normalised), or null. */
export function emailDomain(email: string): string | null {
    const at = email.lastIndexOf('@');
    if (at < 0) return null;
    const domain = email.slice(at + 1);
    // The usual case, already a bare lower-case host: what normaliseDomain would return, with one regex instead of five.
    if (BARE_HOST.test(domain) && !domain.startsWith('www.')) return domain;
    return normaliseDomain(domain);
}

export const isFreeMail = (domain: string): boolean => FREE_MAIL_DOMAINS.has(domain);

/** Is `domain` the owner's own domain or one of its sub-domains (`eu.backstory.ai` under `backstory.ai`)? */
export function isSameOrSubdomain(domain: string, of: string): boolean {
    return domain === of || domain.endsWith(`.${of}`);
}

/**
 * The domain, then its parents, most specific first, never down to a public suffix:
 * `mail.eu.acme.co.uk` → `mail.eu.acme.co.uk`, `eu.acme.co.uk`, `acme.co.uk`. A participant at a
 * sub-domain of an account's website still matches that account.
 */
export function domainChain(domain: string): string[] {
    const out = [domain];
    let rest = domain;
    for (;;) {
        const dot = rest.indexOf('.');
        if (dot < 0) break;
        const parent = rest.slice(dot + 1);
        if (!parent.includes('.') || SECOND_LEVEL_SUFFIXES.has(parent)) break;
        out.push(parent);
        rest = parent;
    }
    return out;
}
